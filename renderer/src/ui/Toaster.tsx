import { useEffect } from 'react';
import { AlertTriangle, CheckCircle2, Info, X, XCircle } from 'lucide-react';
import { useToasts, type Toast } from './toast';

const ICON = { info: Info, success: CheckCircle2, warning: AlertTriangle, danger: XCircle } as const;

/**
 * Renders ui/toast.ts's toasts at the bottom right. Info/success are announced politely
 * (role=status); warnings and errors assertively (role=alert) since the user may have to act.
 */
export function Toaster() {
  const toasts = useToasts((s) => s.toasts);
  return (
    <section className="toaster" aria-label="Notifications">
      {toasts.map((t) => (
        <ToastItem key={t.id} t={t} />
      ))}
    </section>
  );
}

function ToastItem({ t }: { t: Toast }) {
  const dismiss = useToasts((s) => s.dismiss);
  useEffect(() => {
    if (t.timeoutMs === null) return;
    const timer = setTimeout(() => dismiss(t.id), t.timeoutMs);
    return () => clearTimeout(timer);
  }, [t.id, t.timeoutMs, dismiss]);
  const Icon = ICON[t.tone];
  const urgent = t.tone === 'danger' || t.tone === 'warning';
  return (
    <div className={`toast tone-${t.tone}`} role={urgent ? 'alert' : 'status'} aria-live={urgent ? 'assertive' : 'polite'} aria-atomic="true">
      <Icon aria-hidden className="toast-icon" />
      <div className="toast-body">
        <p className="toast-title">{t.title}</p>
        {t.description && <p className="toast-description">{t.description}</p>}
      </div>
      {t.action && (
        <button
          className="btn small"
          onClick={() => {
            t.action!.onPress();
            dismiss(t.id);
          }}
        >
          {t.action.label}
        </button>
      )}
      <button className="btn quiet small" aria-label={`Dismiss: ${t.title}`} onClick={() => dismiss(t.id)}>
        <X aria-hidden className="btn-icon" />
      </button>
    </div>
  );
}
