// "Kopiér adressen": a button with data-copy="#id" copies that field's text and says so in
// the live region named by data-copy-status. Without JavaScript the field can be selected.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  const status = document.querySelector(button.dataset.copyStatus);
  if (!field) return;
  try {
    await navigator.clipboard.writeText(field.value);
    if (status) status.textContent = button.dataset.copied;
  } catch {
    field.focus();
    field.select();
    if (status) status.textContent = button.dataset.copyFailed;
  }
});
