/**
 * A websocket stand-in for the bidder's pubsub client (`ResilientWs` in app/bidder/ws.ts): it
 * records the account and program subscriptions and delivers what a node would notify. The bidder's
 * in-process bench and the absorb keeper spec drive a real `Bidder` with it.
 * @module
 */

/** An account as pubsub notifications carry it (the shape of app/bidder/ws.ts's `WsAccount`). */
export interface StubWsAccount {
  data: Buffer;
  lamports: number;
  owner: string;
}

type AccountCallback = (acc: StubWsAccount, slot: number) => void;
type ProgramCallback = (key: string, acc: StubWsAccount, slot: number) => void;

/** See the module doc. Pass it as the bidder's `ws` (cast: it has only what the bidder calls). */
export class StubWs {
  connected = true;
  reconnects = 0;
  private readonly accountCbs = new Map<string, AccountCallback[]>();
  private readonly programCbs: ProgramCallback[] = [];
  private handles = 1;

  on(): this {
    return this;
  }
  start(): void {}
  stop(): void {}
  unsubscribe(): void {}

  accountSubscribe(key: string, cb: AccountCallback): number {
    this.accountCbs.set(key, [...(this.accountCbs.get(key) ?? []), cb]);
    return this.handles++;
  }

  programSubscribe(_program: string, _filters: unknown, cb: ProgramCallback): number {
    this.programCbs.push(cb);
    return this.handles++;
  }

  /** Whether anyone subscribed to account `key`. */
  subscribed(key: string): boolean {
    return (this.accountCbs.get(key) ?? []).length > 0;
  }

  /**
   * Delivers `acc` (account `key`, at `slot`) to the account's subscribers and, when the program
   * owns it, to the program subscribers.
   */
  deliver(key: string, acc: StubWsAccount, slot: number, programOwned = false): void {
    for (const cb of this.accountCbs.get(key) ?? []) cb(acc, slot);
    if (programOwned) for (const cb of this.programCbs) cb(key, acc, slot);
  }
}
