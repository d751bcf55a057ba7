/*
 * Signature pad: draw on a <canvas data-signature-pad data-target="INPUT_ID"> with a mouse, a finger
 * or a stylus (pointer events); after each stroke the hidden input INPUT_ID receives the drawing as a
 * PNG data URL. A <button data-signature-clear="INPUT_ID"> (a real button, so reachable and usable
 * with the keyboard) clears both. An empty pad leaves the input empty: the server then asks to sign.
 */
(function () {
  "use strict";

  function setup(canvas) {
    var input = document.getElementById(canvas.getAttribute("data-target"));
    var context = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    var last = null;

    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#000091";

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: ((event.clientX - box.left) * canvas.width) / box.width,
        y: ((event.clientY - box.top) * canvas.height) / box.height,
      };
    }

    function store() {
      if (input) {
        input.value = drawn ? canvas.toDataURL("image/png") : "";
      }
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      drawing = true;
      last = point(event);
      if (canvas.setPointerCapture) {
        canvas.setPointerCapture(event.pointerId);
      }
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, Math.PI * 2);
      context.fillStyle = context.strokeStyle;
      context.fill();
      drawn = true;
    });

    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) {
        return;
      }
      event.preventDefault();
      var next = point(event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      last = next;
    });

    function end(event) {
      if (!drawing) {
        return;
      }
      drawing = false;
      if (canvas.releasePointerCapture && event.pointerId !== undefined) {
        try {
          canvas.releasePointerCapture(event.pointerId);
        } catch (error) {
          /* the capture was already released by the browser */
        }
      }
      store();
    }

    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("pointerleave", end);

    document.querySelectorAll('[data-signature-clear="' + canvas.getAttribute("data-target") + '"]').forEach(
      function (button) {
        button.addEventListener("click", function () {
          context.clearRect(0, 0, canvas.width, canvas.height);
          drawn = false;
          store();
        });
      }
    );
  }

  document.querySelectorAll("canvas[data-signature-pad]").forEach(setup);
})();
