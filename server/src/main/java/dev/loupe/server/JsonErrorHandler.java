package dev.loupe.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.events.EventCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors, which happen before a request reaches a route (a malformed request line, a
 * non-numeric or repeated Content-Length, an oversized header), in the API's error shape {@code
 * {"error": "…", "status": n}} instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    String reason = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    String text = HttpStatus.isClientError(code) ? "malformed HTTP request: " + reason : reason;
    response.write(true, ByteBuffer.wrap(body(code, text)), callback);
  }

  /** The JSON error body LoupeServer's routes also answer with. */
  static byte[] body(int status, String message) {
    ObjectNode o = EventCodec.mapper().createObjectNode();
    o.put("error", message);
    o.put("status", status);
    try {
      return EventCodec.mapper().writeValueAsString(o).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
