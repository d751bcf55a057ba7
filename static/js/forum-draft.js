// Keeps what a member types in a forum form in this browser (localStorage), one draft per form key
// (data-draft-key: the reply form of a thread, the new-question form of a space), so that a failed
// submission, an expired session or a closed tab loses nothing. The draft comes back on load when
// the server sent the field empty; it is removed once the server says it was published
// (data-draft-clear on the page that follows). Without JavaScript or storage, nothing changes.
(function () {
  var PREFIX = "forum-draft:";
  var store;
  try {
    store = window.localStorage;
    store.setItem(PREFIX + "test", "1");
    store.removeItem(PREFIX + "test");
  } catch (error) {
    return;
  }

  document.querySelectorAll("[data-draft-clear]").forEach(function (element) {
    element.dataset.draftClear.split(" ").forEach(function (key) {
      if (key) { store.removeItem(PREFIX + key); }
    });
  });

  document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
    var key = PREFIX + form.dataset.draftKey;
    var fields = form.querySelectorAll("textarea[name=message], input[name=title]");
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (error) { saved = null; }
    var restored = false;
    if (saved) {
      fields.forEach(function (field) {
        if (!field.value.trim() && saved[field.name]) {
          field.value = saved[field.name];
          restored = true;
        }
      });
    }
    if (restored) {
      var note = document.createElement("p");
      note.className = "fr-hint-text fr-mb-2w forum-draft-note";
      note.setAttribute("role", "status");
      note.textContent = "Brouillon retrouvé : le texte que vous aviez saisi dans ce navigateur a été remis dans le formulaire.";
      form.insertBefore(note, form.firstChild);
    }
    function save() {
      var draft = {};
      var typed = false;
      fields.forEach(function (field) {
        draft[field.name] = field.value;
        if (field.value.trim()) { typed = true; }
      });
      try {
        if (typed) { store.setItem(key, JSON.stringify(draft)); } else { store.removeItem(key); }
      } catch (error) { /* storage full: the form itself still works */ }
    }
    fields.forEach(function (field) { field.addEventListener("input", save); });
  });
})();
