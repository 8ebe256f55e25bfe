// „Mit der Kamera scannen“ on „Bücher annehmen“: where the browser can read bar codes itself
// (BarcodeDetector, e.g. Chrome on Android) and has a camera, the button shows; it reads the
// book's EAN-13 (its ISBN) and sends the ISBN form as if the digits were typed. Elsewhere the
// button stays hidden and nothing here runs. Nothing leaves the phone but the digits.
(function () {
  "use strict";
  var button = document.getElementById("camera");
  var view = document.getElementById("camera-view");
  var field = document.getElementById("isbn");
  var form = document.getElementById("isbn-form");
  if (!button || !view || !field || !form || !("BarcodeDetector" in window)
      || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  button.hidden = false;
  var stream = null;

  function stop() {
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    view.hidden = true;
  }

  function isBook(code) {
    return /^97[89][0-9]{10}$/.test(code);
  }

  button.addEventListener("click", function () {
    if (stream) {
      stop();
      return;
    }
    var detector = new window.BarcodeDetector({formats: ["ean_13"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (s) {
      stream = s;
      view.srcObject = s;
      view.hidden = false;
      return view.play();
    }).then(function look() {
      if (!stream) {
        return;
      }
      detector.detect(view).then(function (codes) {
        var found = codes.map(function (c) { return c.rawValue; }).filter(isBook)[0];
        if (found) {
          stop();
          field.value = found;
          form.submit();
        } else {
          window.setTimeout(look, 200);
        }
      }, function () { window.setTimeout(look, 500); });
    }).catch(function () {
      stop();
      button.hidden = true;          // no camera allowed: typing and the scanner still work
    });
  });
})();
