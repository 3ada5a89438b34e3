package io.orderly.notification.internal;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Currency;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import io.orderly.platform.ConditionalOnModule;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The notification templates, read once at start from {@code notification/templates/<name>/}:
 * {@code template.properties} (current version, priority, default channels) and per version and
 * locale {@code v<N>/<locale>/} the parts {@code subject}, {@code text}, {@code html} and
 * {@code short} (SMS, push, in-app), as Mustache (ADR 0009). A value the template names and the
 * data lacks is refused ({@link NotificationRefused#missingData}), never rendered as nothing.
 * Values are inserted as text: HTML-escaped in the HTML part, stripped of control characters
 * and bounded everywhere.
 */
@Component
@ConditionalOnModule("notification")
class NotificationTemplates {

	static final String DEFAULT_LOCALE = "en";

	private static final int MAX_VALUE_LENGTH = 500;

	private static final Mustache.Compiler TEXT = Mustache.compiler().escapeHTML(false).strictSections(true);

	private static final Mustache.Compiler HTML = Mustache.compiler().escapeHTML(true).strictSections(true);

	private final Map<String, Definition> definitions;

	NotificationTemplates() {
		this("classpath*:notification/templates/");
	}

	NotificationTemplates(String root) {
		this.definitions = load(root);
	}

	/** A template: its current version, priority, default channels, and per version and locale its parts. */
	/** @param digest at most one message per this window per recipient and channel (null: every one goes) */
	record Definition(String name, int version, Priority priority, Set<Channel> channels,
			Map<Integer, Map<String, Parts>> versions, Duration digest) {

		/** The locales of the current version. */
		Set<String> locales() {
			return versions.get(version).keySet();
		}
	}

	record Parts(Template subject, Template text, Template html, Template shortText) {
	}

	/** A notification rendered for every channel: e-mail's subject, text and HTML; the short text elsewhere. */
	record Rendered(String subject, String text, String html, String shortText) {
	}

	/** @throws NotificationRefused for an unknown name */
	Definition definition(String name) {
		Definition definition = definitions.get(name);
		if (definition == null) {
			throw NotificationRefused.unknownTemplate(name);
		}
		return definition;
	}

	/**
	 * Renders the current version in {@code locale}, or in English where the template does not
	 * speak it.
	 *
	 * @throws NotificationRefused when the data lacks a value the template names
	 */
	Rendered render(Definition definition, int version, String locale, Map<String, ?> data) {
		Map<String, Parts> locales = definition.versions().get(version);
		Parts parts = locales.getOrDefault(locale, locales.get(DEFAULT_LOCALE));
		Map<String, Object> values = clean(data);
		try {
			return new Rendered(parts.subject().execute(values).strip(), parts.text().execute(values).strip(),
					parts.html().execute(values), parts.shortText().execute(values).strip());
		}
		catch (MustacheException.Context missing) {
			throw NotificationRefused.missingData(definition.name(), missing.key);
		}
	}

	/** The locale a notification is written in: the one asked for if the template has it, else English. */
	String localeFor(Definition definition, String asked) {
		return asked != null && definition.locales().contains(asked) ? asked : DEFAULT_LOCALE;
	}

	/** Money in minor units as the customer reads it: 2598 EUR is "25.98 EUR", 1299 JPY "1299 JPY". */
	static String amount(long minor, String currency) {
		int digits = 2;
		try {
			digits = Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
		}
		catch (IllegalArgumentException | NullPointerException unknownCurrency) {
			// Still tell the customer the amount; an unknown code keeps two decimals.
		}
		return BigDecimal.valueOf(minor, digits).toPlainString() + (currency == null ? "" : " " + currency);
	}

	/** A reason code as words: {@code payment_declined} reads "payment declined". */
	static String reason(String code) {
		return code == null || code.isBlank() ? "no reason given" : code.replace('_', ' ').trim();
	}

	/** Strings without control characters (no header or line injection) and of bounded length, at any depth. */
	private static Map<String, Object> clean(Map<String, ?> data) {
		Map<String, Object> values = new HashMap<>();
		data.forEach((key, value) -> values.put(key, cleanValue(value)));
		return values;
	}

	private static Object cleanValue(Object value) {
		return switch (value) {
			case null -> null;
			case String text -> {
				String clean = text.replaceAll("\\p{Cntrl}", " ");
				yield clean.length() > MAX_VALUE_LENGTH ? clean.substring(0, MAX_VALUE_LENGTH) : clean;
			}
			case Map<?, ?> map -> {
				Map<String, Object> nested = new LinkedHashMap<>();
				map.forEach((key, nestedValue) -> nested.put(String.valueOf(key), cleanValue(nestedValue)));
				yield nested;
			}
			case List<?> list -> list.stream().map(NotificationTemplates::cleanValue).toList();
			default -> value;
		};
	}

	private static Map<String, Definition> load(String root) {
		PathMatchingResourcePatternResolver resources = new PathMatchingResourcePatternResolver();
		Map<String, Definition> definitions = new TreeMap<>();
		try {
			for (Resource manifest : resources.getResources(root + "*/template.properties")) {
				String base = manifest.getURL().toString();
				base = base.substring(0, base.length() - "template.properties".length());
				String name = base.substring(0, base.length() - 1);
				name = name.substring(name.lastIndexOf('/') + 1);
				Properties properties = new Properties();
				try (Reader reader = new InputStreamReader(manifest.getInputStream(), StandardCharsets.UTF_8)) {
					properties.load(reader);
				}
				int version = Integer.parseInt(properties.getProperty("version").trim());
				Map<Integer, Map<String, Parts>> versions = new TreeMap<>();
				for (int v = 1; v <= version; v++) {
					Map<String, Parts> locales = new TreeMap<>();
					for (Resource subject : resources.getResources(base + "v" + v + "/*/subject.mustache")) {
						String folder = subject.getURL().toString();
						folder = folder.substring(0, folder.length() - "subject.mustache".length());
						String locale = folder.substring(0, folder.length() - 1);
						locale = locale.substring(locale.lastIndexOf('/') + 1);
						locales.put(locale, new Parts(compile(TEXT, resources, folder + "subject.mustache"),
								compile(TEXT, resources, folder + "text.mustache"),
								compile(HTML, resources, folder + "html.mustache"),
								compile(TEXT, resources, folder + "short.mustache")));
					}
					if (!locales.containsKey(DEFAULT_LOCALE)) {
						throw new IllegalStateException("Template " + name + " v" + v + " has no " + DEFAULT_LOCALE);
					}
					versions.put(v, Map.copyOf(locales));
				}
				Set<Channel> channels = EnumSet.noneOf(Channel.class);
				Arrays.stream(properties.getProperty("channels").split(",")).map(Channel::parse).forEach(channels::add);
				String digest = properties.getProperty("digest");
				definitions.put(name, new Definition(name, version, Priority.parse(properties.getProperty("priority")),
						Set.copyOf(channels), Map.copyOf(versions),
						digest == null ? null : DurationStyle.detectAndParse(digest.trim())));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (definitions.isEmpty()) {
			throw new IllegalStateException("No notification templates under " + root);
		}
		return Map.copyOf(definitions);
	}

	private static Template compile(Mustache.Compiler compiler, PathMatchingResourcePatternResolver resources,
			String location) throws IOException {
		try (Reader reader = new InputStreamReader(resources.getResource(location).getInputStream(),
				StandardCharsets.UTF_8)) {
			return compiler.compile(reader);
		}
	}
}
