import { useState } from 'preact/hooks';

/** Images open in place; a PDF opens in a new tab (the console's CSP forbids embedding objects). */
export function DocumentViewer({ url, type, name }: { url: string; type?: string; name: string }) {
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);
  if (type?.toLowerCase() === 'pdf') {
    return (
      <a href={url} target="_blank" rel="noopener noreferrer" class="button">
        Open PDF ({name})
      </a>
    );
  }
  return (
    <div class="doc-viewer">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide file' : 'View file'}
      </button>
      {open &&
        (failed ? (
          <p class="notice notice-error" role="alert">
            The file could not be loaded.
          </p>
        ) : (
          <a href={url} target="_blank" rel="noopener noreferrer">
            <img src={url} alt={`Uploaded document: ${name}`} onError={() => setFailed(true)} />
          </a>
        ))}
    </div>
  );
}
