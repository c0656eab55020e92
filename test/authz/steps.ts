// Fixture steps contributed by modules whose routes have their own params (servers, vms, …).
// Each step adds entries to `fx.params`; see fixtures.ts.
import { alertFixtures } from './alert-fixtures';
import { consoleFixtures } from './console-fixtures';
import type { FixtureStep } from './fixtures';
import { inventoryFixtures } from './inventory-fixtures';
import { recordingFixtures } from './recording-fixtures';

export const FIXTURE_STEPS: FixtureStep[] = [consoleFixtures, inventoryFixtures, alertFixtures, recordingFixtures];
