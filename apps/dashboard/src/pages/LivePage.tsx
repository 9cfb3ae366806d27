import { eventSummary } from '../event-summary';
import { useI18n } from '../i18n';
import { hrefFor, useLive } from '../state';

export function LivePage() {
  const { t, e, dateTime } = useI18n();
  const live = useLive();
  return (
    <div className="page">
      <h1>{t('liveFeed')}</h1>
      <p className="muted">
        <span className={`status ${live.connected ? 'on' : 'off'}`}>● {live.connected ? t('live') : t('offline')}</span>
      </p>
      {live.feed.length === 0 ? (
        <p data-testid="live-empty">{t('liveEmpty')}</p>
      ) : (
        <ol className="feed" aria-live="polite" data-testid="live-feed">
          {live.feed.map((f) => (
            <li key={f.position}>
              <span className="muted">{dateTime(f.recordedAt)}</span>{' '}
              <a href={hrefFor({ page: 'partnership', id: f.partnershipId })}>{f.partnershipId}</a>: <strong>{f.type}</strong>{' '}
              {eventSummary(f, e)} {f.actor && <span className="muted">— {f.actor}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
