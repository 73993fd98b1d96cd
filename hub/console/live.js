// A small graphql-transport-ws client (the protocol of the graphql-ws library): one socket,
// connection_init with the bearer token, subscribe/next/error/complete, ping/pong, and a
// reconnect with backoff that renews the token and re-subscribes.

import { accessToken } from "./auth.js";
import { currentPurpose } from "./api.js";

const PROTOCOL = "graphql-transport-ws";
const CLOSE_UNAUTHENTICATED = 4401; // the hub's close codes (hub/graphql/live.py)
const CLOSE_FORBIDDEN = 4403;

export class LiveClient {
  constructor({ onStatus = () => {} } = {}) {
    this.onStatus = onStatus;
    this.subscriptions = new Map();
    this.nextId = 1;
    this.socket = null;
    this.acked = false;
    this.closed = false;
    this.retry = 0;
    this.renew = false;
    this.connectedBefore = false;
  }

  /** Subscribe; ``onNext(data)`` gets each result's data. Returns an unsubscribe function. */
  subscribe(query, variables, onNext, onError = () => {}) {
    const id = String(this.nextId++);
    this.subscriptions.set(id, { query, variables, onNext, onError });
    if (this.acked) this.send({ id, type: "subscribe", payload: { query, variables } });
    else this.connect();
    return () => {
      this.subscriptions.delete(id);
      if (this.acked) this.send({ id, type: "complete" });
    };
  }

  async connect() {
    if (this.socket || this.closed) return;
    const token = await accessToken({ force: this.renew });
    this.renew = false;
    if (!token || this.socket || this.closed) return;
    const url = new URL("/graphql", location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(url.href, PROTOCOL);
    this.socket = socket;
    socket.addEventListener("open", () => {
      const payload = { authorization: `Bearer ${token}` };
      if (currentPurpose()) payload.purpose = currentPurpose();
      this.send({ type: "connection_init", payload });
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", (event) => this.lost(socket, event.code));
  }

  receive(raw) {
    let message;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    const sub = this.subscriptions.get(message.id);
    switch (message.type) {
      case "connection_ack": {
        this.acked = true;
        this.retry = 0;
        for (const [id, s] of this.subscriptions) {
          this.send({ id, type: "subscribe", payload: { query: s.query, variables: s.variables } });
        }
        // subscribed first: "live" on the page means the events are asked for. ``resumed``: a
        // connection lost and made again, whose events meanwhile were never sent
        const resumed = this.connectedBefore;
        this.connectedBefore = true;
        this.onStatus(true, undefined, resumed);
        break;
      }
      case "ping":
        this.send({ type: "pong" });
        break;
      case "next":
        if (sub && message.payload?.data) sub.onNext(message.payload.data);
        if (sub && message.payload?.errors) sub.onError(message.payload.errors);
        break;
      case "error":
        if (sub) sub.onError(message.payload || []);
        break;
      default:
        break;
    }
  }

  send(message) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  lost(socket, code) {
    if (this.socket !== socket) return;
    this.socket = null;
    this.acked = false;
    this.onStatus(false, code);
    if (code === CLOSE_FORBIDDEN) this.closed = true; // no retry can give a missing scope
    if (code === CLOSE_UNAUTHENTICATED) this.renew = true; // an expired token: renew it
    if (this.closed || this.subscriptions.size === 0) return;
    const delay = Math.min(30_000, 500 * 2 ** this.retry++) * (0.5 + Math.random() / 2);
    setTimeout(() => this.connect(), delay);
  }

  close() {
    this.closed = true;
    this.subscriptions.clear();
    this.socket?.close(1000);
    this.socket = null;
  }
}
