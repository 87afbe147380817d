// Shared behaviour of every explorer page. Pages work without it; this only adds conveniences.
// "/" focuses the search box (as on GitHub or Datasette).
document.addEventListener('keydown', (e) => {
  if (e.key !== '/' || e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
  const q = document.querySelector('input[type="search"]');
  if (q) {
    e.preventDefault();
    q.focus();
  }
});
