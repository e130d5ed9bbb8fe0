// The printout's "Print" button (templates/honours/honour_roll_print.html): shown only where this
// script runs, since without it the button could do nothing.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
