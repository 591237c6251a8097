import type { ComponentChildren, TargetedEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { messageOf } from '../api/client';

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export function Notice({ kind, children }: { kind: 'error' | 'success' | 'info' | 'warning'; children: ComponentChildren }) {
  const urgent = kind === 'error' || kind === 'warning';
  return (
    <div class={`notice notice-${kind}`} role={urgent ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  return <Notice kind="error">{messageOf(error)}</Notice>;
}

/** Loading, error and empty states of a list or record, in words. */
export function Status({ loading, error, empty, emptyText }: { loading: boolean; error: unknown; empty?: boolean; emptyText?: string }) {
  if (error) return <ErrorNotice error={error} />;
  if (loading) return <p class="muted" role="status">Loading…</p>;
  if (empty) return <p class="empty">{emptyText ?? 'Nothing to show.'}</p>;
  return null;
}

export function Field({ label, children, hint }: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="field">
      <span class="field-label">{label}</span>
      {children}
      {hint && <span class="field-hint">{hint}</span>}
    </label>
  );
}

/** Page navigation from the Total/Page/Per-Page headers. */
export function Pager({ page, perPage, total, onPage, label = 'Pages' }: { page: number; perPage: number; total: number; onPage(p: number): void; label?: string }) {
  const last = Math.max(1, Math.ceil(total / Math.max(perPage, 1)));
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1}>
        Previous
      </button>
      <span aria-live="polite">
        Page {page} of {last} · {total} {total === 1 ? 'entry' : 'entries'}
      </span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page >= last}>
        Next
      </button>
    </nav>
  );
}

/** A destructive action asks once more in place, without a modal. */
export function ConfirmButton({ label, confirmLabel, onConfirm, disabled, class: cls }: { label: string; confirmLabel: string; onConfirm(): void; disabled?: boolean; class?: string }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" class={cls ?? 'danger'} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span class="confirm" role="group" aria-label={confirmLabel}>
      <button
        type="button"
        class="danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ComponentChildren; actions?: ComponentChildren; id?: string }) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-heading`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <div class="card-head">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Table({ caption, children }: { caption: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption class="visually-hidden">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

/** A secret shown once, with a copy button and a warning. */
export function SecretOnce({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState<boolean>();
  const codeRef = useRef<HTMLElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // No clipboard outside secure contexts: select the text so the reader can copy it by hand.
      const range = document.createRange();
      if (codeRef.current) range.selectNodeContents(codeRef.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setCopied(false);
    }
  };
  return (
    <div class="secret" role="alert">
      <p>
        <strong>{label}</strong> is shown only this once. Copy it now and keep it somewhere safe.
      </p>
      <div class="secret-row">
        <code data-testid="secret" ref={codeRef}>
          {value}
        </code>
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        {copied === false && <span class="muted">Copying is not available here: the text is selected, press Ctrl+C.</span>}
      </div>
    </div>
  );
}

export type InputEvent = TargetedEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, Event>;
export const valueOf = (e: InputEvent): string => e.currentTarget.value;
