import { GraphQLRequestError } from './api';
import { useI18n } from './i18n';
import type { Health, Signal } from './queries';

export const PERSPECTIVES = ['AMBITION', 'INTERESTS', 'RELATION', 'ORGANISATION', 'PROCESS'] as const;

/** Five cells, one per perspective, coloured by health 1–5 (with the number, never colour alone). */
export function Heatmap({ health }: { health: readonly Health[] }) {
  const { e, t, number } = useI18n();
  return (
    <ul className="heatmap" aria-label={t('perspectives')}>
      {PERSPECTIVES.map((p) => {
        const h = health.find((x) => x.perspective === p);
        const value = h?.health ?? null;
        const level = value === null ? 'na' : value < 2 ? 'h1' : value < 3 ? 'h2' : value < 3.5 ? 'h3' : value < 4 ? 'h4' : 'h5';
        const label = `${e(p)}: ${value === null ? '—' : number(value, 1)}${h?.spread ? ` (${t('spread')} ${number(h.spread, 1)})` : ''}`;
        return (
          <li key={p} className={`cell ${level}`} title={label} aria-label={label}>
            <span aria-hidden="true">{value === null ? '–' : number(value, 1)}</span>
            {h?.spread !== null && h?.spread !== undefined && h.spread >= 2 && <span className="spread" aria-hidden="true">±</span>}
          </li>
        );
      })}
    </ul>
  );
}

export function Strength({ value }: { value: number }) {
  const { t, number } = useI18n();
  const pct = Math.round(value * 100);
  return (
    <span className="strength" title={t('ambitionStrength')}>
      <meter min={0} max={1} low={0.34} high={0.66} optimum={1} value={value} aria-label={`${t('ambitionStrength')} ${pct}%`} />
      <span>{number(pct)}%</span>
    </span>
  );
}

export function Signals({ signals }: { signals: readonly Signal[] }) {
  const { e, t } = useI18n();
  if (signals.length === 0) return <span className="muted">{t('none')}</span>;
  return (
    <ul className="badges">
      {signals.map((s) => (
        <li key={s.code} className={`badge ${s.byDesign ? 'neutral' : 'warn'}`} title={s.detail}>
          {e(s.code)}
          {s.byDesign ? ` (${t('byDesign')})` : ''}
        </li>
      ))}
    </ul>
  );
}

export function PhaseBadge({ phase }: { phase: string }) {
  const { e } = useI18n();
  return <span className={`phase phase-${phase.toLowerCase()}`}>{e(phase)}</span>;
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status">
      {t('loading')}
    </p>
  );
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  const { t } = useI18n();
  const code = error instanceof GraphQLRequestError ? error.code : undefined;
  return (
    <div className="error" role="alert">
      <strong>{t('error')}</strong>
      {code ? <code> {code}</code> : null}: {error.message}
      {retry && (
        <button type="button" className="secondary" onClick={retry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}
