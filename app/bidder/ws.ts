/**
 * A small Solana pubsub client that survives dropped connections: it remembers every wanted
 * subscription, resubscribes all of them after each reconnect (exponential backoff), detects dead
 * connections with ping/pong, and tells the owner when a connection (re)opens so it can resync the
 * gap with getProgramAccounts.
 * @module
 */
import { EventEmitter } from "events";
import WebSocket from "ws";

/** An account as pubsub notifications carry it (base64 data decoded). */
export interface WsAccount {
  data: Buffer;
  lamports: number;
  owner: string;
}

/** memcmp filter of programSubscribe (bytes in base58). */
export interface MemcmpFilter {
  memcmp: { offset: number; bytes: string };
}

type Spec =
  | { method: "accountSubscribe"; key: string; cb: (acc: WsAccount, slot: number) => void }
  | {
      method: "programSubscribe";
      key: string;
      filters: MemcmpFilter[];
      cb: (pubkey: string, acc: WsAccount, slot: number) => void;
    };

/** Events: `open` (every successful connect, `reconnect` = true after the first), `down` (lost). */
export interface ResilientWsEvents {
  open: (reconnect: boolean) => void;
  down: (reason: string) => void;
}

/** Options of {@link ResilientWs}. */
export interface ResilientWsOptions {
  commitment?: "processed" | "confirmed" | "finalized";
  /** Ping period; a connection without a pong for two periods is dropped. */
  pingMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** See the module doc. */
export class ResilientWs extends EventEmitter {
  private ws: WebSocket | null = null;
  private readonly specs = new Map<number, Spec>();
  private readonly bySubId = new Map<number, number>();
  private readonly pendingReq = new Map<number, { handle: number; unsub: string }>();
  private nextHandle = 1;
  private nextReq = 1;
  private backoff: number;
  private stopped = true;
  private everOpened = false;
  private pingTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private awaitingPong = false;
  private readonly opts: Required<ResilientWsOptions>;
  /** Connected and subscribed. */
  connected = false;
  /** Number of reconnects so far. */
  reconnects = 0;

  constructor(
    readonly url: string,
    opts: ResilientWsOptions = {},
  ) {
    super();
    this.opts = {
      commitment: opts.commitment ?? "confirmed",
      pingMs: opts.pingMs ?? 5_000,
      minBackoffMs: opts.minBackoffMs ?? 200,
      maxBackoffMs: opts.maxBackoffMs ?? 5_000,
    };
    this.backoff = this.opts.minBackoffMs;
  }

  override on<E extends keyof ResilientWsEvents>(event: E, listener: ResilientWsEvents[E]): this {
    return super.on(event, listener);
  }

  /** Connects (and keeps reconnecting until {@link stop}). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Closes the connection for good. */
  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.reconnectTimer = this.pingTimer = null;
    const ws = this.ws;
    this.ws = null;
    this.connected = false;
    if (ws) {
      ws.removeAllListeners();
      ws.on("error", () => undefined);
      ws.terminate();
    }
  }

  /** Watches one account; returns a handle for {@link unsubscribe}. */
  accountSubscribe(key: string, cb: (acc: WsAccount, slot: number) => void): number {
    return this.add({ method: "accountSubscribe", key, cb });
  }

  /** Watches a program's accounts matching `filters`. */
  programSubscribe(
    programId: string,
    filters: MemcmpFilter[],
    cb: (pubkey: string, acc: WsAccount, slot: number) => void,
  ): number {
    return this.add({ method: "programSubscribe", key: programId, filters, cb });
  }

  /** Stops a subscription. */
  unsubscribe(handle: number): void {
    const spec = this.specs.get(handle);
    if (!spec) return;
    this.specs.delete(handle);
    for (const [subId, h] of this.bySubId) {
      if (h !== handle) continue;
      this.bySubId.delete(subId);
      this.request(unsubscribeMethod(spec), [subId]);
    }
  }

  /** Number of wanted subscriptions. */
  get size(): number {
    return this.specs.size;
  }

  private add(spec: Spec): number {
    const handle = this.nextHandle++;
    this.specs.set(handle, spec);
    if (this.connected) this.subscribe(handle, spec);
    return handle;
  }

  private subscribe(handle: number, spec: Spec): void {
    const cfg: Record<string, unknown> = { encoding: "base64", commitment: this.opts.commitment };
    if (spec.method === "programSubscribe" && spec.filters.length > 0) cfg.filters = spec.filters;
    const id = this.request(spec.method, [spec.key, cfg]);
    if (id !== null) this.pendingReq.set(id, { handle, unsub: unsubscribeMethod(spec) });
  }

  private request(method: string, params: unknown[]): number | null {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return null;
    const id = this.nextReq++;
    this.ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    return id;
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.url, { handshakeTimeout: 5_000 });
    this.ws = ws;
    ws.on("open", () => {
      this.connected = true;
      this.backoff = this.opts.minBackoffMs;
      this.bySubId.clear();
      this.pendingReq.clear();
      for (const [handle, spec] of this.specs) this.subscribe(handle, spec);
      this.awaitingPong = false;
      this.pingTimer = setInterval(() => {
        if (this.awaitingPong) {
          ws.terminate(); // no pong for a whole period: the connection is dead
          return;
        }
        this.awaitingPong = true;
        try {
          ws.ping();
        } catch {
          ws.terminate();
        }
      }, this.opts.pingMs);
      const reconnect = this.everOpened;
      this.everOpened = true;
      if (reconnect) this.reconnects++;
      this.emit("open", reconnect);
    });
    ws.on("pong", () => {
      this.awaitingPong = false;
    });
    ws.on("message", (raw: WebSocket.Data) => this.onMessage(raw));
    ws.on("error", () => undefined); // `close` follows
    ws.on("close", (code: number) => this.onClose(ws, `closed (${code})`));
  }

  private onClose(ws: WebSocket, reason: string): void {
    if (this.ws !== ws) return;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    const wasConnected = this.connected;
    this.connected = false;
    this.ws = null;
    if (this.stopped) return;
    if (wasConnected) this.emit("down", reason);
    const delay = this.backoff;
    this.backoff = Math.min(this.opts.maxBackoffMs, this.backoff * 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  private onMessage(raw: WebSocket.Data): void {
    let msg: {
      id?: number;
      result?: unknown;
      error?: unknown;
      method?: string;
      params?: { subscription: number; result: { context: { slot: number }; value: unknown } };
    };
    try {
      msg = JSON.parse(raw.toString());
    } catch {
      return;
    }
    if (msg.id !== undefined) {
      const pending = this.pendingReq.get(msg.id);
      this.pendingReq.delete(msg.id);
      if (pending !== undefined && typeof msg.result === "number") {
        if (this.specs.has(pending.handle)) this.bySubId.set(msg.result, pending.handle);
        else this.request(pending.unsub, [msg.result]); // unsubscribed while the answer was in flight
      }
      return;
    }
    if (!msg.params) return;
    const handle = this.bySubId.get(msg.params.subscription);
    const spec = handle === undefined ? undefined : this.specs.get(handle);
    if (!spec) return;
    const slot = msg.params.result.context.slot;
    if (msg.method === "accountNotification" && spec.method === "accountSubscribe") {
      const acc = toAccount(msg.params.result.value);
      if (acc) spec.cb(acc, slot);
    } else if (msg.method === "programNotification" && spec.method === "programSubscribe") {
      const v = msg.params.result.value as { pubkey: string; account: unknown };
      const acc = toAccount(v.account);
      if (acc) spec.cb(v.pubkey, acc, slot);
    }
  }
}

function unsubscribeMethod(spec: Spec): string {
  return spec.method === "accountSubscribe" ? "accountUnsubscribe" : "programUnsubscribe";
}

function toAccount(v: unknown): WsAccount | null {
  if (v === null || typeof v !== "object") return null;
  const a = v as { data: [string, string] | string; lamports: number; owner: string };
  const data = Array.isArray(a.data) ? Buffer.from(a.data[0], "base64") : Buffer.alloc(0);
  return { data, lamports: a.lamports, owner: a.owner };
}
