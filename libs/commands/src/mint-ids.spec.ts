import { mintIds } from './mint-ids';

describe('ids the API mints for a command', () => {
  it('fills missing ids, keeps given ones, and mints the same ids for the same command id', () => {
    const input = { goals: [{ goalId: 'g-given' }, { description: 'x' }], partnershipId: undefined };
    const first = mintIds(input, ['partnershipId', 'goals[].goalId'], 'cmd-1');
    const again = mintIds(input, ['partnershipId', 'goals[].goalId'], 'cmd-1');
    const other = mintIds(input, ['partnershipId', 'goals[].goalId'], 'cmd-2');
    expect((first.input.goals as { goalId: string }[])[0]?.goalId).toBe('g-given');
    expect(Object.keys(first.minted).sort()).toEqual(['goals.1.goalId', 'partnershipId']);
    expect(again.minted).toEqual(first.minted);
    expect(other.minted.partnershipId).not.toBe(first.minted.partnershipId);
    expect(input.partnershipId).toBeUndefined();
  });
});
