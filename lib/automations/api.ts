/**
 * The automations' slice of the `Api`.
 *
 * @module
 */
import * as Effect from "effect/Effect";
import * as Stream from "effect/Stream";
import { type ApiContext, loadOnce } from "../core/context.ts";
import type { WandbError } from "../core/errors.ts";
import type { Automation, NewAutomation } from "./model.ts";
import type {
  AutomationChanges,
  AutomationsOptions,
  CreateAutomationOptions,
} from "./operations.ts";

/** The automations' methods of the `Api`. */
export interface AutomationsApi {
  /**
   * Automations (Python's `api.automations(entity, name=…)`): an entity's, or every one the
   * viewer may see.
   */
  automations(options?: AutomationsOptions): Stream.Stream<Automation, WandbError>;
  /** The automation of a name (Python's `api.automation(name, entity=…)`). */
  automation(name: string, entity?: string): Effect.Effect<Automation, WandbError>;
  /** Creates an automation (Python's `api.create_automation(event >> action, name=…)`). */
  createAutomation(
    automation: NewAutomation,
    options?: CreateAutomationOptions,
  ): Effect.Effect<Automation, WandbError>;
  /** Saves changes to an automation (Python's `api.update_automation(...)`). */
  updateAutomation(
    automation: Automation,
    changes: AutomationChanges,
  ): Effect.Effect<Automation, WandbError>;
  /** Deletes an automation, by value or id (Python's `api.delete_automation(...)`). */
  deleteAutomation(automation: Automation | string): Effect.Effect<void, WandbError>;
}

const operations = loadOnce(() => import("./operations.ts"));

/** Builds the automations' slice. */
export function automationsApi(context: ApiContext): AutomationsApi {
  const { client } = context;
  return {
    automations: (options) =>
      Stream.unwrap(Effect.map(operations, (m) => m.listAutomations(client, options))),
    automation: (name, entity) =>
      Effect.flatMap(operations, (m) => m.getAutomation(client, name, entity)),
    createAutomation: (automation, options) =>
      Effect.flatMap(operations, (m) => m.createAutomation(client, automation, options)),
    updateAutomation: (automation, changes) =>
      Effect.flatMap(operations, (m) => m.updateAutomation(client, automation, changes)),
    deleteAutomation: (automation) =>
      Effect.flatMap(operations, (m) => m.deleteAutomation(client, automation)),
  };
}
