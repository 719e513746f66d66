// The floor benchmark's far end, in its own process as the simulator is: a loopback TCP server
// that reads and drops what it gets. Forked with an IPC channel; reports its port, exits with it.

import net from 'node:net';
import process from 'node:process';

const server = net.createServer((socket) => {
  socket.on('data', () => undefined);
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('disconnect', () => process.exit(0));
