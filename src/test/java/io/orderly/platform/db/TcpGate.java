package io.orderly.platform.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder in front of a server that a test can shut: while shut, every connection
 * through it is closed and new ones are closed as soon as they arrive, as when the server
 * went away; opened again, it forwards as before, on the same port.
 */
final class TcpGate implements AutoCloseable {

	private final ServerSocket listener;

	private final int target;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private volatile boolean open = true;

	TcpGate(int target) throws IOException {
		this.target = target;
		this.listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
		Thread.ofVirtual().name("tcp-gate").start(this::accept);
	}

	int port() {
		return listener.getLocalPort();
	}

	void shut() {
		open = false;
		for (Socket socket : sockets) {
			closeQuietly(socket);
		}
		sockets.clear();
	}

	void reopen() {
		open = true;
	}

	private void accept() {
		while (!listener.isClosed()) {
			try {
				Socket client = listener.accept();
				if (!open) {
					closeQuietly(client);
					continue;
				}
				Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
				sockets.add(client);
				sockets.add(server);
				pipe(client, server);
				pipe(server, client);
			}
			catch (IOException ex) {
				// The listener closed, or the server refused: the client sees its connection end.
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		Thread.ofVirtual().start(() -> {
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				in.transferTo(out);
			}
			catch (IOException ex) {
				// One side went away: both are closed below.
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				sockets.remove(from);
				sockets.remove(to);
			}
		});
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing is all we wanted.
		}
	}

	@Override
	public void close() throws IOException {
		shut();
		listener.close();
	}
}
