/** The server configuration and links `npm run classroom` writes for a room. */
import { describe, expect, it } from 'vitest';
import { MAX_ENVELOPE_BYTES } from '../../src/core/wire.ts';
import { roomOf } from '../../src/runtime/room.ts';
import { natsConfig, roomLinks } from '../../scripts/classroom-config.ts';

const room = roomOf('7K2M-Q9XD-4HRT-B1ZP');
const key = '856M-K5GB-FMAC-02J4-D4D2-EPFF-KN5G-KX9Y';
const config = natsConfig(
  { room, teacherKey: key, port: 4222, wsPort: 8443, noTls: true, maxConnections: 200 },
  new Date('2026-12-02T08:00:00Z'),
);

describe('the classroom configuration', () => {
  it('sets the ports, the WebSocket listener and the limits', () => {
    expect(config).toContain('port: 4222\n');
    expect(config).toMatch(/websocket \{\n {2}port: 8443\n {2}no_tls: true\n/);
    expect(config).toContain(`max_payload: ${MAX_ENVELOPE_BYTES}\n`);
    expect(config).toContain('max_connections: 200\n');
  });

  it('lets learners speak only as nodes of the room, and only the teacher send controls', () => {
    const learner = config.slice(config.indexOf(`user: "${room.learnerUser}"`));
    const learnerBlock = learner.slice(0, learner.indexOf('}\n    }'));
    expect(learnerBlock).toContain(`password: "${room.code}"`);
    expect(learnerBlock).toContain(
      `publish: ["chainlab.${room.id}.node.*", "chainlab.${room.id}.gossip", "chainlab.${room.id}.presence"]`,
    );
    expect(learnerBlock).not.toContain('control');
    expect(config).toContain(`user: "${room.teacherUser}"\n      password: "${key}"`);
    expect(config).toContain(`publish: ["chainlab.${room.id}.>"]`);
  });

  it('names the server and its routes when it is one of a cluster', () => {
    const clustered = natsConfig(
      {
        room,
        teacherKey: key,
        port: 4222,
        wsPort: 8443,
        noTls: true,
        maxConnections: 200,
        cluster: { serverName: 'room-a', port: 6222, routes: ['nats-route://room-b:6222'] },
      },
      new Date(0),
    );
    expect(clustered).toContain('server_name: "room-a"');
    expect(clustered).toMatch(
      /cluster \{\n {2}name: "chainlab"\n {2}listen: "0\.0\.0\.0:6222"\n {2}routes: \["nats-route:\/\/room-b:6222"\]\n\}/,
    );
    expect(config).not.toContain('cluster');
  });

  it('links carry the server and code in the fragment, and the teacher key only for the teacher', () => {
    const links = roomLinks('https://chainlab.example/app', 'wss://room.example', room, key);
    expect(links.learner).toBe(
      'https://chainlab.example/app/#server=wss%3A%2F%2Froom.example&room=7K2M-Q9XD-4HRT-B1ZP',
    );
    expect(links.teacher).toBe(`${links.learner}&teacher=${key}`);
  });
});
