// Admin export page: "Select all" ticks or clears every field box (no inline handler: CSP).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("#select-all-toggle");
  if (!toggle) return;
  toggle.addEventListener("change", () => {
    document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
      .forEach((box) => { box.checked = toggle.checked; });
  });
});
