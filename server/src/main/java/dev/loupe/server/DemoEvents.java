package dev.loupe.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.events.EventCodec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic product events: users with a fixed platform and country, sessions as bursts of
 * page views, clicks, searches, shares and add-to-cart events, some ending in a purchase.
 * Deterministic for a seed. No I/O.
 *
 * <p>Properties: every event has {@code platform} (ios, android, web) and {@code country}
 * (ISO 3166 alpha-2) and {@code page}; add_to_cart has {@code product_id} and {@code price};
 * purchase has {@code revenue}, {@code currency} and {@code items}.
 */
public final class DemoEvents {

  static final String[] PLATFORMS = {"ios", "android", "web"};
  private static final double[] PLATFORM_W = {0.35, 0.40, 0.25};
  static final String[] COUNTRIES = {"US", "IN", "BR", "DE", "GB", "FR", "JP", "CA", "MX", "ES"};
  private static final double[] COUNTRY_W = {0.30, 0.15, 0.10, 0.08, 0.08, 0.07, 0.06, 0.05, 0.05,
      0.06};

  private final SplittableRandom random;
  private final int users;
  private long sequence;

  private DemoEvents(SplittableRandom random, int users) {
    if (users < 1) {
      throw new IllegalArgumentException("users must be >= 1 but was " + users);
    }
    this.random = random;
    this.users = users;
  }

  public static DemoEvents create(SplittableRandom random, int users) {
    return new DemoEvents(random, users);
  }

  /** A user's platform, fixed by the user number. */
  static String platform(int user) {
    return pick(PLATFORMS, PLATFORM_W, unit(user * 0x9E3779B97F4A7C15L));
  }

  static String country(int user) {
    return pick(COUNTRIES, COUNTRY_W, unit(user * 0xC2B2AE3D27D4EB4FL + 17));
  }

  /** One session of a random user starting at {@code start}: 1 to ~40 events, seconds apart. */
  public List<ObjectNode> session(Instant start) {
    int user = random.nextInt(users);
    String platform = platform(user);
    String country = country(user);
    String sessionTag = Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
    List<ObjectNode> out = new ArrayList<>();
    Instant t = start;
    int cart = 0;
    double cartValue = 0;
    String page = "/home";
    boolean done = false;
    while (!done) {
      String type;
      double u = random.nextDouble();
      ObjectNode props = EventCodec.mapper().createObjectNode();
      if (out.isEmpty() || u < 0.40) {
        type = "page_view";
        page = random.nextDouble() < 0.5 ? "/product/" + random.nextInt(500) : pages();
      } else if (u < 0.65) {
        type = "click";
        props.put("target", random.nextDouble() < 0.5 ? "product_card" : "nav");
      } else if (u < 0.75) {
        type = "search";
        props.put("query_length", 1 + random.nextInt(20));
      } else if (u < 0.87) {
        type = "add_to_cart";
        int product = random.nextInt(500);
        double price = Math.round((5 + 95 * random.nextDouble()) * 100) / 100.0;
        props.put("product_id", "p" + product);
        props.put("price", price);
        cart++;
        cartValue += price;
      } else if (u < 0.90) {
        type = "share";
        props.put("channel", random.nextDouble() < 0.5 ? "link" : "social");
      } else if (cart > 0 && u < 0.96) {
        type = "purchase";
        props.put("revenue", Math.round(cartValue * 100) / 100.0);
        props.put("currency", "USD");
        props.put("items", cart);
        cart = 0;
        cartValue = 0;
      } else {
        type = "page_view";
        page = pages();
      }
      props.put("platform", platform);
      props.put("country", country);
      props.put("page", page);
      ObjectNode e = EventCodec.mapper().createObjectNode();
      e.put("event_id", "demo-" + sessionTag + "-" + (sequence++));
      e.put("user_id", "u" + user);
      e.put("event_type", type);
      e.put("event_time", t.truncatedTo(ChronoUnit.MILLIS).toString());
      e.set("properties", props);
      out.add(e);
      t = t.plusMillis((long) (1000 + 25_000 * -Math.log(1 - random.nextDouble())));
      done = out.size() >= 40 || random.nextDouble() < 0.12;
    }
    return out;
  }

  /** Damages an event the way buggy clients do (for the rejected store to have something). */
  public ObjectNode malformed(ObjectNode e) {
    ObjectNode bad = e.deepCopy();
    switch (random.nextInt(4)) {
      case 0 -> bad.remove("event_type");
      case 1 -> bad.put("event_time", "yesterday");
      case 2 -> bad.put("properties", "platform=ios");
      default -> bad.put("event_type", "Add To Cart!");
    }
    return bad;
  }

  private String pages() {
    String[] p = {"/home", "/search", "/cart", "/account", "/deals"};
    return p[random.nextInt(p.length)];
  }

  private static String pick(String[] values, double[] weights, double u) {
    double c = 0;
    for (int i = 0; i < values.length; i++) {
      c += weights[i];
      if (u < c) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  private static double unit(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    return (x >>> 11) * 0x1.0p-53;
  }
}
