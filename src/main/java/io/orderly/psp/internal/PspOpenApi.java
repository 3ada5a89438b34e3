package io.orderly.psp.internal;

import io.orderly.platform.web.OpenApiProblems;
import java.util.List;

import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.models.GroupedOpenApi;

/**
 * The simulator's payment API has a document of its own at {@value #PATH}, as a real provider
 * publishes its API apart from its customers': its server is the simulator's base URL on
 * whichever port it is read (Swagger UI on the platform's port lists it beside the API's). The
 * platform's document leaves every {@code /psp/} path out
 * ({@link io.orderly.platform.web.OpenApiPaths#without}).
 */
public final class PspOpenApi {

	/** Springdoc's address of the group's document. */
	public static final String PATH = "/v3/api-docs/psp";

	static final String GROUP = "psp";

	private PspOpenApi() {
	}

	static GroupedOpenApi group(String baseUrl) {
		return GroupedOpenApi.builder()
			.group(GROUP)
			.displayName("PSP simulator (its own port)")
			.pathsToMatch(PspRouting.API + "**")
			.pathsToExclude(PspRouting.CHARGES)
			.addOpenApiCustomizer(api -> api.info(new Info().title("Orderly PSP simulator")
				.version("v1")
				.description("A stand-in payment provider with fault injection; see io.orderly.psp's package documentation."))
				.servers(List.of(new Server().url(baseUrl).description("The simulator's own port"))))
			.addOpenApiCustomizer(OpenApiProblems.problems())
			.build();
	}
}
