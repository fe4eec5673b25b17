# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

# WeasyPrint needs Pango; gettext compiles translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 gettext postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY peerprogram ./peerprogram
COPY groups ./groups
COPY volunteers ./volunteers
COPY participants ./participants
COPY evaluation ./evaluation
RUN pip install .
COPY . .

RUN DEBUG=false SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=localhost SITE_URL=http://localhost \
    CELERY_BROKER_URL=redis://localhost ALLOW_CONSOLE_BACKENDS=true \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && useradd --system --uid 1000 app && chown -R app /app
USER app

EXPOSE 8000
CMD ["gunicorn", "peerprogram.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "peerprogram.logging.GunicornLogger"]
