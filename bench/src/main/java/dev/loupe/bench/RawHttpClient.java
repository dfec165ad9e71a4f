package dev.loupe.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 keep-alive client for one connection: POST a body, read the status and the
 * body. The load generator uses it instead of java.net.http so that it takes less of the CPU it
 * shares with the server. Not thread-safe: one per thread.
 */
final class RawHttpClient implements AutoCloseable {

  /** Status and body of a response. */
  record Response(int status, String body) {}

  private final URI uri;
  private final byte[] headerPrefix;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  RawHttpClient(URI uri, String writeKey) {
    this.uri = uri;
    this.headerPrefix = ("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
        + uri.getPort() + "\r\nX-Loupe-Write-Key: " + writeKey
        + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: ")
        .getBytes(StandardCharsets.US_ASCII);
  }

  Response post(byte[] body) throws IOException {
    if (socket == null) {
      socket = new Socket(uri.getHost(), uri.getPort());
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 65_536);
    }
    try {
      out.write(headerPrefix);
      out.write((body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return read();
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  private Response read() throws IOException {
    String status = line();
    if (status == null || !status.startsWith("HTTP/1.1 ")) {
      throw new IOException("bad status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean close = false;
    String h;
    while ((h = line()) != null && !h.isEmpty()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(h.substring(15).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    if (length < 0) {
      throw new IOException("response without Content-Length");
    }
    byte[] b = in.readNBytes(length);
    if (close) {
      close();
    }
    return new Response(code, new String(b, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int n = b.size();
        byte[] bytes = b.toByteArray();
        return new String(bytes, 0, n > 0 && bytes[n - 1] == '\r' ? n - 1 : n,
            StandardCharsets.US_ASCII);
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
      socket = null;
    }
  }
}
