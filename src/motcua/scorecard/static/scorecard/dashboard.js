/* The reform dashboard: draws each chart from the Vega-Lite specification the page carries
   (<script type="application/json" id="…"> named by data-vega-spec). Without JavaScript, or if a
   chart cannot be drawn, the table beside it says the same thing. */
(function () {
  "use strict";

  function draw() {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    var charts = document.querySelectorAll("[data-vega-spec]");
    Array.prototype.forEach.call(charts, function (element) {
      var source = document.getElementById(element.getAttribute("data-vega-spec"));
      if (!source) {
        return;
      }
      var spec = JSON.parse(source.textContent);
      window.vegaEmbed(element, spec, { actions: false, renderer: "svg" }).then(function () {
        element.classList.add("drawn");
        // The container (role img, with its label) speaks for the drawing inside it.
        Array.prototype.forEach.call(element.querySelectorAll("svg"), function (svg) {
          svg.setAttribute("aria-hidden", "true");
        });
        // The chart is there: its table can fold away (still one click, or key press, away).
        var section = element.closest("section");
        var table = section ? section.querySelector("details.chart-data") : null;
        if (table) {
          table.removeAttribute("open");
        }
      }).catch(function () {
        element.hidden = true;
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
