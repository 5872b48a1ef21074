/** The `/live` websocket: snapshots and takes, reconnecting with backoff. */
import { useEffect, useState } from "preact/hooks";
import { ServerMessage, Snapshot, TakeView } from "./model";

export type LinkState = "connecting" | "live" | "reconnecting";

export interface Live {
  link: LinkState;
  snapshot: Snapshot | null;
  /** Keys of takes that arrived live since the page opened (highlighted). */
  fresh: Set<string>;
}

/** Merges a live take into the snapshot's list (newest first, no duplicates). */
function withTake(s: Snapshot, take: TakeView): Snapshot {
  if (s.takes.some((t) => t.key === take.key)) return s;
  return { ...s, takes: [take, ...s.takes].sort((a, b) => b.time - a.time || b.slot - a.slot) };
}

export function useLive(): Live {
  const [link, setLink] = useState<LinkState>("connecting");
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  useEffect(() => {
    let socket: WebSocket | null = null;
    let retry = 500;
    let closed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const proto = location.protocol === "https:" ? "wss" : "ws";
      socket = new WebSocket(`${proto}://${location.host}/live`);
      socket.onopen = () => {
        retry = 500;
        setLink("live");
      };
      socket.onmessage = (ev) => {
        const msg = JSON.parse(ev.data as string) as ServerMessage;
        if (msg.type === "snapshot") {
          setSnapshot((prev) => {
            // Keep live takes the snapshot has not caught up with yet.
            let next = msg.snapshot;
            for (const t of prev?.takes ?? []) if (t.time >= next.chainTime - 5) next = withTake(next, t);
            return next;
          });
        } else {
          setSnapshot((prev) => (prev ? withTake(prev, msg.take) : prev));
          setFresh((f) => new Set(f).add(msg.take.key));
        }
      };
      socket.onclose = () => {
        if (closed) return;
        setLink("reconnecting");
        timer = setTimeout(open, retry);
        retry = Math.min(retry * 2, 10_000);
      };
    };
    open();
    return () => {
      closed = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, []);
  return { link, snapshot, fresh };
}

/** Re-renders every second (relative times, the live price marker). */
export function useTick(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}
