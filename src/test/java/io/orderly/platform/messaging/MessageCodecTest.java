package io.orderly.platform.messaging;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schema evolution: a reader of version 1 reads what a newer writer added. */
class MessageCodecTest {

	private final MessageCodec codec = new MessageCodec();

	enum Colour {
		RED, GREEN, @JsonEnumDefaultValue UNKNOWN
	}

	enum Size {
		SMALL, LARGE
	}

	@MessageType("orderly.test.Painted.v1")
	record Painted(String id, Colour colour, Size size) {
	}

	record Unnamed(String id) {
	}

	@Test
	void ignoresFieldsItDoesNotKnow() {
		Painted painted = codec.read("{\"id\": \"a\", \"colour\": \"RED\", \"size\": \"SMALL\", \"addedLater\": {\"x\": 1}}",
				Painted.class);

		assertThat(painted).isEqualTo(new Painted("a", Colour.RED, Size.SMALL));
	}

	@Test
	void readsAnEnumValueItDoesNotKnowAsTheDefaultOrNull() {
		Painted painted = codec.read("{\"id\": \"a\", \"colour\": \"ULTRAVIOLET\", \"size\": \"HUGE\"}", Painted.class);

		assertThat(painted.colour()).isEqualTo(Colour.UNKNOWN);
		assertThat(painted.size()).isNull();
	}

	@Test
	void namesATypeByItsAnnotationWithItsVersion() {
		assertThat(codec.typeOf(Painted.class)).isEqualTo("orderly.test.Painted.v1");
		assertThat(Outbox.sourceOf("orderly.test.Painted.v1")).isEqualTo("/orderly/test");
		assertThatThrownBy(() -> codec.typeOf(Unnamed.class)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void roundTripsAPayload() {
		Painted painted = new Painted("b", Colour.GREEN, Size.LARGE);

		assertThat(codec.read(codec.write(painted), Painted.class)).isEqualTo(painted);
	}
}
