"""Personal data over time: retention policies and the daily run (`retention`), requests from a
person — export and erasure — (`personal_data`, and the admin buttons in `person_requests`),
their models (`models`) and admin pages (`admin`)."""
