package dev.loupe.cli.network;

import dev.loupe.graph.Design;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** {@code --method}: the design methods by their dashed names, plus {@code switchback}. */
final class MethodConverter implements ITypeConverter<String> {

  static final String METHODS = "individual, cluster, attribute, ego, two-stage, interference-test, switchback";

  @Override
  public String convert(String value) {
    String v = value.toLowerCase(Locale.ROOT).replace('_', '-');
    if (v.equals("switchback")) {
      return v;
    }
    for (Design.Method m : Design.Method.values()) {
      if (m.label().equals(v)) {
        return v;
      }
    }
    throw new picocli.CommandLine.TypeConversionException("--method must be one of " + METHODS + " but was " + value);
  }
}
