import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { GraphQLClient } from './support/graphql-client';
import { type RunningService, startService, tempDataDir } from './support/service';

/**
 * The board's web page in a real browser (Debian's Chromium driven by playwright-core) against
 * the service started as `npm start` does, with the demo portfolio seeded: sign in as board, the
 * portfolio, the mandatory merger escalation on the agenda, recording the decision, the
 * partnership advancing live, the time slider going back to the earlier phase.
 */
const ROOT = resolve(__dirname, '../..');
const SEED = join(ROOT, 'dist/apps/cli/src/seed.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DASHBOARD = join(ROOT, 'apps/dashboard/dist/index.html');
const OUTPUT = join(__dirname, 'output', 'dashboard');
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium) {
  // Loud: CI installs the chromium package (.ci/run); a developer without it sees why nothing ran.
  console.warn(`\n*** dashboard browser suite SKIPPED: ${CHROMIUM} is missing (apt-get install chromium) ***\n`);
}

const describeBrowser = haveChromium ? describe : describe.skip;

describeBrowser('the board page in a browser', () => {
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const foreignRequests: string[] = [];
  const consoleErrors: string[] = [];
  let step = 0;
  const shot = async (name: string) => {
    step++;
    await page.screenshot({ path: join(OUTPUT, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
  };

  /** Waits until the portfolio table shows `n` rows (the page's CSP forbids string evaluation). */
  const rows = async (n: number) => {
    const deadline = Date.now() + 10_000;
    while ((await page.locator('table.portfolio tbody tr').count()) !== n) {
      if (Date.now() > deadline) throw new Error(`portfolio did not show ${n} rows`);
      await page.waitForTimeout(100);
    }
  };

  /** A caller of the API for the test's own mutations, signed in through the development sign-in. */
  async function api(role: string): Promise<GraphQLClient> {
    const res = await fetch(`${service.url}/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role }) });
    const body = (await res.json()) as { token: string; headers: Record<string, string> };
    return new GraphQLClient(service.graphqlUrl, { authorization: `Bearer ${body.token}`, ...body.headers });
  }
  const run = async (client: GraphQLClient, mutation: string, input: Record<string, unknown>) => {
    const res = await client.request<Record<string, { position: number }>>(`mutation($input: ${mutation[0]?.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { position revision } }`, { input });
    if (res.errors?.length) throw new Error(`${mutation}: ${JSON.stringify(res.errors)}`);
    return res.data?.[mutation];
  };

  beforeAll(async () => {
    if (!existsSync(DASHBOARD)) throw new Error(`${DASHBOARD} is missing: build it with \`npx vite build --config apps/dashboard/vite.config.mts\``);
    rmSync(OUTPUT, { recursive: true, force: true });
    mkdirSync(OUTPUT, { recursive: true });
    dataDir = tempDataDir('ppl-dashboard-');
    const seeded = spawnSync(process.execPath, [SEED], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
    if (seeded.status !== 0) throw new Error(`seed failed:\n${seeded.stdout}\n${seeded.stderr}`);
    service = await startService({ dataDir });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'nl-BE' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const origin = new URL(service.url);
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.protocol !== 'data:' && u.host !== origin.host) foreignRequests.push(r.url());
    });
    page.on('console', (m) => {
      // A failed load's message names no address; its location does.
      if (m.type() === 'error') consoleErrors.push(m.location().url ? `${m.text()} (${m.location().url})` : m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    // The console says only "404"; name the address that answered it.
    page.on('response', (r) => {
      if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in as board with the development sign-in and shows the seeded portfolio', async () => {
    await page.goto(service.url);
    await page.getByTestId('dev-sign-in-BOARD').click();
    await expect(page.getByTestId('signed-in-role').textContent()).resolves.toBe('Raad van bestuur');
    await page.getByTestId('row-p-shared-ict').waitFor();
    await page.getByTestId('row-p-activation-network').waitFor();
    expect(await page.locator('table.portfolio tbody tr').count()).toBe(11); // 12 seeded, one ENDED hidden
    expect(await page.getByTestId('row-p-activation-network').getByTestId('phase').textContent()).toBe('Uitvoeren');
    expect(await page.getByTestId('row-p-shared-ict').getByTestId('phase').textContent()).toBe('Vormgeven');
    await page.getByTestId('funnel').waitFor();
    await page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor();
    await shot('portfolio');
    // Filter as the portfolio query allows: only partnerships in EXECUTE.
    await page.getByTestId('filter-phase').selectOption('EXECUTE');
    await rows(3);
    await page.getByTestId('filter-phase').selectOption('');
    await rows(11);
    // Departments working with the same partner see each other: the partner filter shows what the API answers for it.
    const board = await api('BOARD');
    const withVdab = await board.data<{ portfolio: { nodes: { id: string }[] } }>(`{ portfolio(filter: { partnerOrganizationId: "org-vdab" }, first: 50) { nodes { id } } }`);
    const ids = withVdab.portfolio.nodes.map((n) => n.id).sort();
    expect(ids.length).toBeGreaterThan(1);
    await page.getByTestId('filter-partner').selectOption({ label: 'VDAB regio Kempen' });
    await rows(ids.length);
    const shown: string[] = [];
    const trs = page.locator('table.portfolio tbody tr');
    for (let i = 0; i < ids.length; i++) shown.push(((await trs.nth(i).getAttribute('data-testid')) ?? '').replace(/^row-/, ''));
    expect(shown.sort()).toEqual(ids);
    // And by the home organisation's department that owns them.
    await page.getByTestId('filter-partner').selectOption('');
    const ofWork = await board.data<{ portfolio: { totalCount: number } }>(`{ portfolio(filter: { departmentId: "dept-work" }) { totalCount } }`);
    expect(ofWork.portfolio.totalCount).toBeGreaterThan(0);
    expect(ofWork.portfolio.totalCount).toBeLessThan(11);
    await page.getByTestId('filter-department').selectOption({ label: 'Werk en economie' });
    await rows(ofWork.portfolio.totalCount);
    await page.getByTestId('filter-department').selectOption('');
    await rows(11);
  });

  it('shows the mandatory merger escalation first on the board agenda, and records the decision from there', async () => {
    await page.getByRole('link', { name: 'Agenda' }).click();
    const first = page.locator('ol.agenda > li').first();
    await first.waitFor();
    expect(await first.getAttribute('class')).toContain('item-mandatory');
    await expect(first.textContent()).resolves.toContain('Gedeelde ICT-dienst');
    await expect(first.textContent()).resolves.toContain('fusie van de ICT-diensten');
    await expect(first.textContent()).resolves.toContain('Wijziging van juridische vorm');
    // What exactly the board authorises: the merger, not any change of legal form.
    await expect(first.locator('.requested-change').textContent()).resolves.toBe('Fusie');
    await shot('agenda');
    await first.locator('summary').click();
    await first.getByLabel('Goedgekeurd').check();
    await first.getByLabel('Motivering').fill('De fusie past binnen de strategie; personeel wordt vooraf ingelicht.');
    await shot('agenda-decision-form');
    await first.getByRole('button', { name: 'Beslissing vastleggen' }).click();
    await page.getByTestId('decision-recorded').waitFor();
    await page.locator('ol.agenda li.item-mandatory').waitFor({ state: 'detached' }); // decided: off the agenda, live
    await shot('agenda-decided');
    // An EXPECTED escalation the board only takes note of: acknowledged from the agenda, not decided.
    const expected = page.locator('ol.agenda li.item-expected').first();
    const escalationId = (await expected.getAttribute('data-testid'))?.replace(/^escalation-/, '') as string;
    await expected.getByRole('button', { name: 'Bevestigen (kennis genomen, geen beslissing)' }).click();
    await page.getByTestId('decision-recorded').filter({ hasText: 'Bevestigd' }).waitFor();
    await page.getByTestId(`escalation-${escalationId}`).waitFor({ state: 'detached' });
    const acknowledged = await (await api('BOARD')).data<{ escalations: { nodes: { escalationId: string; resolvedBy: string }[] } }>(
      'query { escalations(status: ACKNOWLEDGED, body: BOARD, first: 100) { nodes { escalationId resolvedBy } } }',
    );
    expect(acknowledged.escalations.nodes).toEqual(expect.arrayContaining([expect.objectContaining({ escalationId, resolvedBy: 'dev-board' })]));
    const board = await api('BOARD');
    const decided = await board.data<{ decisions: { nodes: { decisionId: string; outcome: string; requestId: string | null; decidedBy: string }[] } }>(
      'query { decisions(partnershipId: "p-shared-ict", body: BOARD) { nodes { decisionId outcome requestId decidedBy } } }',
    );
    expect(decided.decisions.nodes).toEqual(expect.arrayContaining([expect.objectContaining({ requestId: 'p-shared-ict-request-merger', outcome: 'APPROVED' })]));

    // The manager asks the board to approve entering EXECUTE: it reaches the open agenda live.
    await run(await api('MANAGER'), 'requestApproval', { partnershipId: 'p-shared-ict', requestId: 'p-shared-ict-request-execute', body: 'BOARD', trigger: 'PHASE_ENTERED', subject: 'start uitvoering gedeelde ICT-dienst', change: { phase: 'EXECUTE' } });
    await page.getByTestId('escalation-raised').filter({ hasText: 'start uitvoering gedeelde ICT-dienst' }).waitFor();
    const execute = page.locator('ol.agenda li.item-mandatory').filter({ hasText: 'start uitvoering gedeelde ICT-dienst' });
    await execute.waitFor();
    await expect(execute.locator('.requested-change').textContent()).resolves.toBe('Uitvoeren');
    await shot('agenda-new-escalation-live');
  });

  it('sees the partnership change live, then goes back in time with the slider', async () => {
    await page.getByRole('link', { name: 'Portfolio' }).click();
    await page.getByTestId('row-p-shared-ict').getByRole('link', { name: 'Gedeelde ICT-dienst' }).click();
    await page.getByTestId('partnership-phase').filter({ hasText: 'Vormgeven' }).waitFor();
    await page.evaluate('window.__noReload = true');

    // The partnership's manager acts on the board's decision; the board approves entering EXECUTE; it advances.
    const board = await api('BOARD');
    const manager = await api('MANAGER');
    const { decisions } = await board.data<{ decisions: { nodes: { decisionId: string; requestId: string | null }[] } }>('query { decisions(partnershipId: "p-shared-ict", body: BOARD) { nodes { decisionId requestId } } }');
    const merger = decisions.nodes.find((d) => d.requestId === 'p-shared-ict-request-merger');
    await run(manager, 'defineGovernance', {
      partnershipId: 'p-shared-ict',
      decisionRights: 'het gezamenlijke bestuur van de gefuseerde dienst',
      taskAllocation: 'Zandhoven host, Grobbendonk levert de helpdesk',
      legalForm: 'MERGER',
      exitArrangements: { howToLeave: 'ontvlechting bij besluit van beide raden', noticePeriod: '12 maanden', sharedAssets: 'verdeeld naar inbreng', data: 'terug naar elke gemeente', staff: 'volgt de dienst' },
      approvals: [merger?.decisionId],
    });
    await page.getByTestId('partnership-legal-form').filter({ hasText: 'Fusie' }).waitFor();
    await run(manager, 'assignNetworkRole', { partnershipId: 'p-shared-ict', role: 'OPERATOR', person: { personId: 'p-gert', name: 'Gert Willems' }, organisationId: 'org-grobbendonk' });
    await run(board, 'recordDecision', { partnershipId: 'p-shared-ict', decisionId: 'p-shared-ict-decision-execute', body: 'BOARD', requestId: 'p-shared-ict-request-execute', outcome: 'APPROVED', rationale: 'governance staat op punt' });
    await run(manager, 'advancePhase', { partnershipId: 'p-shared-ict', toPhase: 'EXECUTE', approvals: ['p-shared-ict-decision-execute'] });

    await page.getByTestId('partnership-phase').filter({ hasText: 'Uitvoeren' }).waitFor();
    expect(await page.evaluate('window.__noReload')).toBe(true); // no reload happened
    await shot('partnership-live-execute');

    // Back in time with the keyboard: one event at a time until the phase was DESIGN.
    const slider = page.getByTestId('time-slider');
    await slider.focus();
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('ArrowLeft');
      await page.getByTestId('showing-past').waitFor();
      await page.waitForTimeout(400); // the slider settles, then the view at that revision loads
      if ((await page.getByTestId('partnership-phase').textContent())?.includes('Vormgeven')) break;
    }
    await page.getByTestId('partnership-phase').filter({ hasText: 'Vormgeven' }).waitFor();
    expect(await page.getByTestId('time-label').textContent()).toMatch(/revisie \d+/);
    await shot('partnership-time-travel-design');
    await page.keyboard.press('Home');
    await page.getByTestId('partnership-phase').filter({ hasText: 'Verkennen' }).waitFor();
    await shot('partnership-time-travel-start');
    await page.getByRole('button', { name: 'Terug naar nu' }).click();
    await page.getByTestId('partnership-phase').filter({ hasText: 'Uitvoeren' }).waitFor();
  });

  it('switches to English, shows the live feed, and fits a tablet', async () => {
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('link', { name: 'Live' }).click();
    await page.getByTestId('live-feed').filter({ hasText: 'PhaseAdvanced' }).waitFor();
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(1);
    await shot('live-feed-en');
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.getByRole('link', { name: 'Portfolio' }).click();
    await page.getByTestId('row-p-shared-ict').getByTestId('phase').filter({ hasText: 'Execute' }).waitFor();
    await shot('portfolio-tablet-en');
  });

  it('asked no host but the service and logged no errors', () => {
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
