import { useEffect, useMemo, useState } from 'react';
import { gql } from '../api';
import { ErrorBox, Heatmap, Loading, PhaseBadge, Signals, Strength } from '../components';
import { useI18n } from '../i18n';
import { organisations } from '../organisations';
import { PORTFOLIO, type PartnershipRow, SUMMARY, type Tally } from '../queries';
import { hrefFor, useLive, useQuery, useSession } from '../state';

const PHASES = ['EXPLORE', 'SHARE', 'AGREE', 'DESIGN', 'EXECUTE'] as const;
const ORDER_FIELDS = ['NAME', 'PHASE_SINCE', 'LAST_ACTIVITY', 'HEALTH', 'AMBITION_STRENGTH', 'OPEN_ESCALATIONS', 'EARLIEST_DUE'] as const;
const SIGNALS = ['AMBITION_NOT_SHARED', 'INTERESTS_UNSPOKEN', 'FORM_BEFORE_INTERESTS', 'PHASES_SKIPPED', 'STAGNATION', 'NO_DOING', 'DIVERGENT_VIEWS', 'DECLINING_SUPPORT', 'NOT_EVALUATED', 'SELF_SERVING', 'IMBALANCE'];
const PAGE = 50;

interface Filters {
  search: string;
  phase: string;
  themeId: string;
  signal: string;
  partnerOrganizationId: string;
  departmentId: string;
  healthBelow: string;
  hasOpenEscalations: boolean;
  hasOverdueEscalations: boolean;
  includeEnded: boolean;
  orderField: string;
  direction: 'ASC' | 'DESC';
}

const INITIAL: Filters = { search: '', phase: '', themeId: '', signal: '', partnerOrganizationId: '', departmentId: '', healthBelow: '', hasOpenEscalations: false, hasOverdueEscalations: false, includeEnded: false, orderField: 'OPEN_ESCALATIONS', direction: 'DESC' };

function toFilter(f: Filters): Record<string, unknown> {
  return {
    ...(f.search.trim() ? { search: f.search.trim() } : {}),
    ...(f.phase ? { phase: [f.phase] } : {}),
    ...(f.themeId ? { themeId: [f.themeId] } : {}),
    ...(f.signal ? { signal: f.signal } : {}),
    ...(f.partnerOrganizationId ? { partnerOrganizationId: f.partnerOrganizationId } : {}),
    ...(f.departmentId ? { departmentId: f.departmentId } : {}),
    ...(f.healthBelow ? { healthBelow: Number(f.healthBelow) } : {}),
    ...(f.hasOpenEscalations ? { hasOpenEscalations: true } : {}),
    ...(f.hasOverdueEscalations ? { hasOverdueEscalations: true } : {}),
    ...(f.includeEnded ? { includeEnded: true } : {}),
  };
}

interface PortfolioData {
  portfolio: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: PartnershipRow[] };
}
interface SummaryData {
  portfolioSummary: { partnerships: number; byPhase: Tally[]; byTheme: Tally[]; bySignal: Tally[]; escalationsByBody: { body: string; open: number; overdue: number }[]; at: string };
  strategy: { themes: { themeId: string; name: string }[] } | null;
}

export function PortfolioPage() {
  const { t, e } = useI18n();
  const session = useSession();
  const live = useLive();
  const [filters, setFilters] = useState<Filters>(INITIAL);
  const [search, setSearch] = useState('');
  const [pages, setPages] = useState(1);
  useEffect(() => {
    const h = setTimeout(() => setFilters((f) => (f.search === search ? f : { ...f, search })), 250);
    return () => clearTimeout(h);
  }, [search]);
  useEffect(() => setPages(1), [filters]);

  const summary = useQuery(() => gql<SummaryData>(session, SUMMARY, { position: live.position }), [session, live.version]);
  const variables = useMemo(
    () => ({ filter: toFilter(filters), orderBy: [{ field: filters.orderField, direction: filters.direction }, { field: 'NAME', direction: 'ASC' }], first: PAGE * pages }),
    [filters, pages],
  );
  const rows = useQuery(() => gql<PortfolioData>(session, PORTFOLIO, { ...variables, position: live.position }), [session, variables, live.version]);

  const orgs = useQuery(() => organisations(session), [session]);
  const partners = (orgs.data ?? []).filter((o) => !o.isHome).sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id));
  const departments = (orgs.data ?? []).filter((o) => o.isHome).flatMap((o) => o.departments);
  const themeName = (id: string) => summary.data?.strategy?.themes.find((x) => x.themeId === id)?.name ?? id;
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));

  return (
    <div className="page">
      <h1>{t('navPortfolio')}</h1>
      {summary.error && <ErrorBox error={summary.error} retry={summary.reload} />}
      {summary.data && <Summary data={summary.data} themeName={themeName} />}

      <section aria-labelledby="filters-title" className="filters">
        <h2 id="filters-title">{t('filters')}</h2>
        <div className="filter-grid">
          <label>
            {t('search')}
            <input type="search" value={search} onChange={(ev) => setSearch(ev.target.value)} />
          </label>
          <label>
            {t('phase')}
            <select value={filters.phase} onChange={(ev) => set('phase', ev.target.value)} data-testid="filter-phase">
              <option value="">{t('allPhases')}</option>
              {[...PHASES, 'ENDED'].map((p) => (
                <option key={p} value={p}>{e(p)}</option>
              ))}
            </select>
          </label>
          <label>
            {t('theme')}
            <select value={filters.themeId} onChange={(ev) => set('themeId', ev.target.value)}>
              <option value="">{t('allThemes')}</option>
              {summary.data?.strategy?.themes.map((th) => (
                <option key={th.themeId} value={th.themeId}>{th.name}</option>
              ))}
            </select>
          </label>
          <label>
            {t('signal')}
            <select value={filters.signal} onChange={(ev) => set('signal', ev.target.value)}>
              <option value="">{t('anySignal')}</option>
              {SIGNALS.map((s) => (
                <option key={s} value={s}>{e(s)}</option>
              ))}
            </select>
          </label>
          <label>
            {t('partnerOrganisation')}
            <select value={filters.partnerOrganizationId} onChange={(ev) => set('partnerOrganizationId', ev.target.value)} data-testid="filter-partner">
              <option value="">{t('anyOrganisation')}</option>
              {partners.map((o) => (
                <option key={o.id} value={o.id}>{o.name ?? o.id}</option>
              ))}
            </select>
          </label>
          <label>
            {t('department')}
            <select value={filters.departmentId} onChange={(ev) => set('departmentId', ev.target.value)} data-testid="filter-department">
              <option value="">{t('allDepartments')}</option>
              {departments.map((d) => (
                <option key={d.departmentId} value={d.departmentId}>{d.name}</option>
              ))}
            </select>
          </label>
          <label>
            {t('healthBelow')}
            <select value={filters.healthBelow} onChange={(ev) => set('healthBelow', ev.target.value)}>
              <option value="">{t('any')}</option>
              {['2', '2.5', '3', '3.5', '4'].map((v) => (
                <option key={v} value={v}>{v}</option>
              ))}
            </select>
          </label>
          <label>
            {t('sortBy')}
            <select value={filters.orderField} onChange={(ev) => set('orderField', ev.target.value)}>
              {ORDER_FIELDS.map((f) => (
                <option key={f} value={f}>{e(f)}</option>
              ))}
            </select>
          </label>
          <label>
            {t('direction')}
            <select value={filters.direction} onChange={(ev) => set('direction', ev.target.value === 'ASC' ? 'ASC' : 'DESC')}>
              <option value="ASC">{t('asc')}</option>
              <option value="DESC">{t('desc')}</option>
            </select>
          </label>
          <div className="checks">
            <label className="check">
              <input type="checkbox" checked={filters.hasOpenEscalations} onChange={(ev) => set('hasOpenEscalations', ev.target.checked)} /> {t('withOpenEscalations')}
            </label>
            <label className="check">
              <input type="checkbox" checked={filters.hasOverdueEscalations} onChange={(ev) => set('hasOverdueEscalations', ev.target.checked)} /> {t('withOverdueEscalations')}
            </label>
            <label className="check">
              <input type="checkbox" checked={filters.includeEnded} onChange={(ev) => set('includeEnded', ev.target.checked)} /> {t('includeEnded')}
            </label>
          </div>
        </div>
      </section>

      <section aria-labelledby="rows-title">
        <h2 id="rows-title">
          {t('partnerships')}{' '}
          {rows.data && (
            <span className="muted" data-testid="portfolio-count">
              ({rows.data.portfolio.nodes.length} {t('shown')} {t('of')} {rows.data.portfolio.totalCount})
            </span>
          )}
        </h2>
        {rows.error && <ErrorBox error={rows.error} retry={rows.reload} />}
        {!rows.data && !rows.error && <Loading />}
        {rows.data && rows.data.portfolio.nodes.length === 0 && <p>{t('noPartnerships')}</p>}
        {rows.data && rows.data.portfolio.nodes.length > 0 && (
          <div className="table-wrap">
            <table className="portfolio" aria-busy={rows.loading}>
              <thead>
                <tr>
                  <th scope="col">{t('name')}</th>
                  <th scope="col">{t('phase')}</th>
                  <th scope="col">{t('theme')}</th>
                  <th scope="col" className="num">{t('daysInPhase')}</th>
                  <th scope="col">{t('perspectives')}</th>
                  <th scope="col">{t('ambitionStrength')}</th>
                  <th scope="col">{t('signals')}</th>
                  <th scope="col">{t('openEscalations')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.data.portfolio.nodes.map((p) => (
                  <tr key={p.id} data-testid={`row-${p.id}`}>
                    <th scope="row">
                      <a href={hrefFor({ page: 'partnership', id: p.id })}>{p.name}</a>
                    </th>
                    <td data-testid="phase"><PhaseBadge phase={p.phase} /></td>
                    <td>{p.themeName ?? themeName(p.themeId)}</td>
                    <td className="num">{p.daysInPhase}</td>
                    <td><Heatmap health={p.health} /></td>
                    <td><Strength value={p.ambitionStrength.strength} /></td>
                    <td><Signals signals={p.signals} /></td>
                    <td>
                      {p.openEscalationCount === 0 ? (
                        <span className="muted">{t('none')}</span>
                      ) : (
                        <ul className="escalations">
                          {p.openEscalations.map((x) => (
                            <li key={x.escalationId} className={x.overdue ? 'overdue' : ''}>
                              <span className={`level level-${x.level.toLowerCase()}`}>{e(x.level)}</span> {e(x.body)}: {e(x.trigger)}
                              {x.overdue && <strong> · {t('overdue')}</strong>}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {rows.data?.portfolio.pageInfo.hasNextPage && (
          <button type="button" onClick={() => setPages((n) => n + 1)}>
            {t('loadMore')}
          </button>
        )}
      </section>
    </div>
  );
}

function Summary({ data, themeName }: { data: SummaryData; themeName: (id: string) => string }) {
  const { t, e } = useI18n();
  const s = data.portfolioSummary;
  const count = (list: Tally[], key: string) => list.find((x) => x.key === key)?.count ?? 0;
  const max = Math.max(1, ...PHASES.map((p) => count(s.byPhase, p)));
  const themeMax = Math.max(1, ...s.byTheme.map((x) => x.count));
  return (
    <div className="summary">
      <section aria-labelledby="funnel-title" className="card">
        <h2 id="funnel-title">{t('phaseFunnel')}</h2>
        <ol className="funnel" data-testid="funnel">
          {PHASES.map((p) => {
            const n = count(s.byPhase, p);
            return (
              <li key={p}>
                <span className="label">{e(p)}</span>
                <span className="bar-track">
                  <span className={`bar phase-${p.toLowerCase()}`} style={{ width: `${(n / max) * 100}%` }} />
                </span>
                <span className="n">{n}</span>
              </li>
            );
          })}
        </ol>
      </section>
      <section aria-labelledby="theme-title" className="card">
        <h2 id="theme-title">{t('byTheme')}</h2>
        <ul className="funnel">
          {s.byTheme.map((x) => (
            <li key={x.key}>
              <span className="label">{themeName(x.key)}</span>
              <span className="bar-track">
                <span className="bar theme" style={{ width: `${(x.count / themeMax) * 100}%` }} />
              </span>
              <span className="n">{x.count}</span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="bodies-title" className="card">
        <h2 id="bodies-title">{t('escalationsByBody')}</h2>
        <ul className="plain">
          {s.escalationsByBody.map((b) => (
            <li key={b.body}>
              <strong>{e(b.body)}</strong>: {b.open} {t('open')}
              {b.overdue > 0 && <span className="overdue-text">, {b.overdue} {t('overdue')}</span>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
