/* "Leave this site": go to the neutral page, replacing this page in the history so that the
   Back button does not return to the screening. Without JavaScript the link still works. */
(function () {
  "use strict";
  if (window.iopQuickExit) { return; }
  window.iopQuickExit = true;
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-quick-exit]") : null;
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
        event.altKey) {
      return;
    }
    event.preventDefault();
    window.location.replace(link.href);
  });
})();
