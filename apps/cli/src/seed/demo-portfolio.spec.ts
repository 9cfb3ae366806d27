import { DEMO_SPAN_DAYS, demoFirstDay, demoPortfolio } from './demo-portfolio';

const latest = (times: string[]): string => times.reduce((a, b) => (a > b ? a : b));

describe('the demo portfolio, dated', () => {
  it('ends on the day asked for, DEMO_SPAN_DAYS after its first step, every step in between', () => {
    const steps = demoPortfolio(demoFirstDay('2026-12-02'));
    const times = steps.map((s) => s.businessTime);
    expect(latest(times)).toBe('2026-12-02T09:00:00.000Z');
    expect(times[0]).toBe(new Date(Date.parse('2026-12-02T09:00:00.000Z') - DEMO_SPAN_DAYS * 86_400_000).toISOString());
    expect(times.every((t) => t >= times[0])).toBe(true);
    expect(DEMO_SPAN_DAYS).toBeGreaterThan(365);
  });

  it('keeps the same command ids and commands whatever its dates, only the times move', () => {
    const a = demoPortfolio(demoFirstDay('2026-12-02'));
    const b = demoPortfolio('2025-01-06T09:00:00.000Z');
    expect(b.map((s) => s.commandId)).toEqual(a.map((s) => s.commandId));
    expect(b.map((s) => s.type)).toEqual(a.map((s) => s.type));
    const shift = Date.parse(a[0].businessTime) - Date.parse(b[0].businessTime);
    expect(a.map((s) => Date.parse(s.businessTime) - shift)).toEqual(b.map((s) => Date.parse(s.businessTime)));
    // Dates inside a command (an evaluation's period) move with it.
    const period = (steps: typeof a) => steps.find((s) => s.type === 'RecordEvaluation')?.input.period as { to: string };
    expect(period(a).to).not.toBe(period(b).to);
  });

  it('keeps every partnership’s steps in time order (each stream’s business times never go back)', () => {
    const byStream = new Map<string, string>();
    for (const step of demoPortfolio(demoFirstDay('2026-12-02'))) {
      const stream = String(step.input.partnershipId ?? step.type);
      const before = byStream.get(stream);
      if (before !== undefined) expect(step.businessTime >= before).toBe(true);
      byStream.set(stream, step.businessTime);
    }
  });

  it('refuses what is not a calendar date', () => {
    for (const bad of ['2026-02-30', '2026-12-2', 'yesterday', '2026-12-02T09:00:00Z', ''])
      expect(() => demoFirstDay(bad)).toThrow(RangeError);
    expect(() => demoPortfolio('not a time')).toThrow(RangeError);
  });
});
