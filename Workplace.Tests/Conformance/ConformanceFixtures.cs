#pragma warning disable MCPEXP001 // Multi-round-trip requests (SEP-2322) are experimental in the SDK.
#pragma warning disable MCP9004, MCP9005 // The suite still exercises sampling, roots and logging, deprecated in 2026-07-28.

using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Workplace.Tests.Conformance;

// The tools, resources and prompts the official conformance suite calls by name (its
// examples/servers/typescript/README.md and scenario sources). They exist only so the suite can exercise
// our Streamable HTTP endpoint; the product's own tools are tested elsewhere.
internal static class Fixture
{
    // A 1x1 PNG and a minimal WAV: the suite checks only the content type and mime type.
    public const string PngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==";
    public const string WavBase64 = "UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=";

    public static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };

    public static ElicitRequestParams AskFor(string message, string property) => new()
    {
        Message = message,
        RequestedSchema = new ElicitRequestParams.RequestSchema
        {
            Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition> { [property] = new ElicitRequestParams.StringSchema() },
            Required = [property],
        },
    };

    /// <returns>The elicited field, or null when the response is not an elicitation result holding it.</returns>
    public static string? ElicitedText(InputResponse response, string property)
    {
        try
        {
            var elicited = response.Deserialize(InputResponse.ElicitResultJsonTypeInfo);
            return elicited?.Content is { } content && content.TryGetValue(property, out var field) ? field.ToString() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}

[McpServerToolType]
internal sealed class ContentFixtureTools
{
    [McpServerTool(Name = "test_simple_text"), Description("Answers with one text block.")]
    public static string SimpleText() => "This is a simple text response for testing.";

    [McpServerTool(Name = "test_image_content"), Description("Answers with one PNG image block.")]
    public static ImageContentBlock Image() => new() { Data = Encoding.UTF8.GetBytes(Fixture.PngBase64), MimeType = "image/png" };

    [McpServerTool(Name = "test_audio_content"), Description("Answers with one WAV audio block.")]
    public static AudioContentBlock Audio() => new() { Data = Encoding.UTF8.GetBytes(Fixture.WavBase64), MimeType = "audio/wav" };

    [McpServerTool(Name = "test_embedded_resource"), Description("Answers with an embedded text resource.")]
    public static EmbeddedResourceBlock Embedded() => new()
    {
        Resource = new TextResourceContents { Uri = "test://embedded-resource", MimeType = "text/plain", Text = "This is an embedded resource content." },
    };

    [McpServerTool(Name = "test_multiple_content_types"), Description("Answers with text, an image and an embedded resource.")]
    public static ContentBlock[] Mixed() =>
    [
        new TextContentBlock { Text = "Multiple content types test:" },
        new ImageContentBlock { Data = Encoding.UTF8.GetBytes(Fixture.PngBase64), MimeType = "image/png" },
        new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "test://mixed-content-resource", MimeType = "application/json", Text = "{\"test\":\"data\",\"value\":123}" } },
    ];

    [McpServerTool(Name = "test_error_handling"), Description("Always fails, as a tool error.")]
    public static string Fails() => throw new InvalidOperationException("This tool intentionally returns an error for testing");

    // A stateless server keeps no logging/setLevel choice between requests, so this 2025 fixture sends its log
    // messages directly; what the suite checks is that notifications reach the client on the request's stream.
    [McpServerTool(Name = "test_tool_with_logging"), Description("Logs three messages to the client while it runs.")]
    public static async Task<string> Logging(McpServer server, CancellationToken cancellationToken)
    {
        foreach (var step in new[] { "Tool execution started", "Tool processing data", "Tool execution completed" })
        {
            await server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, new LoggingMessageNotificationParams
            {
                Level = LoggingLevel.Info,
                Logger = "conformance",
                Data = JsonSerializer.SerializeToElement(step, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(string))),
            }, cancellationToken: cancellationToken);
            await Task.Delay(20, cancellationToken);
        }
        return "Tool with logging executed successfully";
    }

    [McpServerTool(Name = "test_logging_tool"), Description("Tries to log; the framework drops it unless the request set _meta logLevel.")]
    public static string GatedLogging(McpServer server)
    {
        server.AsClientLoggerProvider().CreateLogger("conformance").LogInformation("test_logging_tool executed");
        return "Log attempted.";
    }

    [McpServerTool(Name = "test_tool_with_progress"), Description("Reports progress 0, 50 and 100 of 100.")]
    public static async Task<string> Progress(McpServer server, RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        if (context.Params?.ProgressToken is not { } token)
        {
            return "No progress token provided";
        }
        foreach (var progress in new[] { 0, 50, 100 })
        {
            await server.NotifyProgressAsync(token, new ProgressNotificationValue { Progress = progress, Total = 100, Message = $"{progress}%" }, cancellationToken: cancellationToken);
            await Task.Delay(20, cancellationToken);
        }
        return token.ToString() ?? "";
    }

    [McpServerTool(Name = "test_missing_capability"), Description("Needs the client's sampling capability.")]
    public static string NeedsSampling(McpServer server) =>
        server.ClientCapabilities?.Sampling is not null
            ? "The client declared sampling."
            : throw new MissingRequiredClientCapabilityException(new ClientCapabilities { Sampling = new() }, "This tool needs the sampling capability; declare it in _meta clientCapabilities.");

    [McpServerTool(Name = "test_streaming_elicitation"), Description("Answers with a plain result: the response stream carries no server requests.")]
    public static string PlainStream() => "stream carried result frames only";

    [McpServerTool(Name = "test_sampling"), Description("Asks the client's model to complete a prompt.")]
    public static async Task<string> Sampling(McpServer server, [Description("The prompt for the model")] string prompt, CancellationToken cancellationToken)
    {
        var result = await server.SampleAsync(new CreateMessageRequestParams
        {
            Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }],
            MaxTokens = 100,
        }, cancellationToken);
        return $"LLM response: {(result.Content.OfType<TextContentBlock>().FirstOrDefault()?.Text ?? "")}";
    }

    [McpServerTool(Name = "test_elicitation"), Description("Asks the user a question.")]
    public static async Task<string> Elicitation(McpServer server, [Description("The question")] string message, CancellationToken cancellationToken)
    {
        var result = await server.ElicitAsync(new ElicitRequestParams
        {
            Message = message,
            RequestedSchema = new ElicitRequestParams.RequestSchema
            {
                Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                {
                    ["username"] = new ElicitRequestParams.StringSchema { Description = "User's response" },
                    ["email"] = new ElicitRequestParams.StringSchema { Description = "User's email address" },
                },
                Required = ["username", "email"],
            },
        }, cancellationToken);
        return $"User response: action={result.Action}";
    }

    public static McpServerTool JsonSchema202012Tool()
    {
        var tool = McpServerTool.Create(() => "JSON Schema 2020-12 tool executed", new McpServerToolCreateOptions
        {
            Name = "json_schema_2020_12_tool",
            Description = "A tool whose input schema uses JSON Schema 2020-12 keywords ($schema, $defs, $ref).",
        });
        tool.ProtocolTool.InputSchema = JsonElement.Parse("""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "$defs": { "address": { "type": "object", "properties": { "street": { "type": "string" }, "city": { "type": "string" } } } },
          "properties": { "name": { "type": "string" }, "address": { "$ref": "#/$defs/address" } },
          "additionalProperties": false
        }
        """);
        return tool;
    }
}

/// <summary>Multi-round-trip requests (SEP-2322): the stateless way for a server to ask the client something.</summary>
[McpServerToolType]
internal sealed class InputRequiredFixtureTools
{
    private const string FixedState = "workplace-conformance-state";
    private static readonly byte[] s_stateKey = RandomNumberGenerator.GetBytes(32);

    [McpServerTool(Name = "test_input_required_result_elicitation"), Description("Asks for the user's name, then greets.")]
    public static CallToolResult Elicitation(RequestContext<CallToolRequestParams> context)
    {
        if (context.Params?.InputResponses is { } responses && responses.TryGetValue("user_name", out var response))
        {
            return Fixture.ElicitedText(response, "name") is { } name
                ? Fixture.Text($"Hello, {name}!")
                : throw new McpProtocolException("inputResponses.user_name must be an elicitation result with content.name.", McpErrorCode.InvalidParams);
        }
        throw new InputRequiredException(new Dictionary<string, InputRequest> { ["user_name"] = InputRequest.ForElicitation(Fixture.AskFor("What is your name?", "name")) });
    }

    [McpServerTool(Name = "test_input_required_result_sampling"), Description("Asks the client's model a question.")]
    public static CallToolResult Sampling(RequestContext<CallToolRequestParams> context)
    {
        if (context.Params?.InputResponses is { } responses && responses.ContainsKey("capital_question"))
        {
            return Fixture.Text("Sampling answered.");
        }
        throw new InputRequiredException(new Dictionary<string, InputRequest>
        {
            ["capital_question"] = InputRequest.ForSampling(new CreateMessageRequestParams
            {
                Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = "What is the capital of France?" }] }],
                MaxTokens = 100,
            }),
        });
    }

    [McpServerTool(Name = "test_input_required_result_list_roots"), Description("Asks the client for its roots.")]
    public static CallToolResult Roots(RequestContext<CallToolRequestParams> context) =>
        context.Params?.InputResponses is { } responses && responses.ContainsKey("client_roots")
            ? Fixture.Text("Roots received.")
            : throw new InputRequiredException(new Dictionary<string, InputRequest> { ["client_roots"] = InputRequest.ForRootsList(new ListRootsRequestParams()) });

    [McpServerTool(Name = "test_input_required_result_request_state"), Description("Round-trips an opaque requestState.")]
    public static CallToolResult RequestState(RequestContext<CallToolRequestParams> context)
    {
        if (context.Params?.RequestState is { } state)
        {
            return Fixture.Text(state == FixedState ? "state-ok" : "state-mismatch");
        }
        throw new InputRequiredException(
            new Dictionary<string, InputRequest> { ["confirm"] = InputRequest.ForElicitation(Fixture.AskFor("Please confirm", "ok")) },
            FixedState);
    }

    [McpServerTool(Name = "test_input_required_result_multiple_inputs"), Description("Asks for three inputs at once.")]
    public static CallToolResult Multiple(RequestContext<CallToolRequestParams> context)
    {
        if (context.Params?.InputResponses is { Count: >= 3 })
        {
            return Fixture.Text("multiple-inputs-ok");
        }
        throw new InputRequiredException(new Dictionary<string, InputRequest>
        {
            ["user_name"] = InputRequest.ForElicitation(Fixture.AskFor("What is your name?", "name")),
            ["greeting"] = InputRequest.ForSampling(new CreateMessageRequestParams
            {
                Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = "Generate a greeting" }] }],
                MaxTokens = 50,
            }),
            ["client_roots"] = InputRequest.ForRootsList(new ListRootsRequestParams()),
        }, "multiple-inputs");
    }

    [McpServerTool(Name = "test_input_required_result_multi_round"), Description("Three rounds: name, colour, done.")]
    public static CallToolResult MultiRound(RequestContext<CallToolRequestParams> context) => context.Params?.RequestState switch
    {
        null => throw new InputRequiredException(
            new Dictionary<string, InputRequest> { ["step1"] = InputRequest.ForElicitation(Fixture.AskFor("Step 1: What is your name?", "name")) }, "round-1"),
        "round-1" => throw new InputRequiredException(
            new Dictionary<string, InputRequest> { ["step2"] = InputRequest.ForElicitation(Fixture.AskFor("Step 2: What is your favorite color?", "color")) }, "round-2"),
        _ => Fixture.Text("multi-round-ok"),
    };

    [McpServerTool(Name = "test_input_required_result_tampered_state"), Description("Signs its requestState and refuses a forged one.")]
    public static CallToolResult Tampered(RequestContext<CallToolRequestParams> context)
    {
        if (context.Params?.RequestState is { } state)
        {
            return Verify(state)
                ? Fixture.Text("tampered-state-ok")
                : throw new McpProtocolException("requestState failed its integrity check.", McpErrorCode.InvalidParams);
        }
        throw new InputRequiredException(
            new Dictionary<string, InputRequest> { ["confirm"] = InputRequest.ForElicitation(Fixture.AskFor("Please confirm", "ok")) },
            Sign(Convert.ToHexString(RandomNumberGenerator.GetBytes(8))));
    }

    [McpServerTool(Name = "test_input_required_result_capabilities"), Description("Asks only for what the client declared it can answer.")]
    public static CallToolResult Capabilities(RequestContext<CallToolRequestParams> context)
    {
        if (context.Params?.InputResponses is { Count: > 0 })
        {
            return Fixture.Text("capability-check-ok");
        }
        var declared = context.JsonRpcRequest.Context?.ClientCapabilities;
        var requests = new Dictionary<string, InputRequest>();
        if (declared?.Elicitation is not null)
        {
            requests["user_name"] = InputRequest.ForElicitation(Fixture.AskFor("What is your name?", "name"));
        }
        if (declared?.Roots is not null)
        {
            requests["client_roots"] = InputRequest.ForRootsList(new ListRootsRequestParams());
        }
        if (declared?.Sampling is not null)
        {
            requests["capital_question"] = InputRequest.ForSampling(new CreateMessageRequestParams
            {
                Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = "What is the capital of France?" }] }],
                MaxTokens = 100,
            });
        }
        return requests.Count == 0 ? Fixture.Text("capability-check-ok: nothing to ask") : throw new InputRequiredException(requests);
    }

    private static string Sign(string nonce) => $"{nonce}.{Convert.ToHexString(HMACSHA256.HashData(s_stateKey, Encoding.UTF8.GetBytes(nonce)))}";

    private static bool Verify(string state)
    {
        var dot = state.LastIndexOf('.');
        return dot > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(Sign(state[..dot])));
    }
}

[McpServerResourceType]
internal sealed class FixtureResources
{
    [McpServerResource(UriTemplate = "test://static-text", Name = "Static Text Resource", MimeType = "text/plain"), Description("A fixed text resource.")]
    public static string StaticText() => "This is the content of the static text resource.";

    [McpServerResource(UriTemplate = "test://static-binary", Name = "Static Binary Resource", MimeType = "image/png"), Description("A fixed PNG.")]
    public static BlobResourceContents StaticBinary() => new() { Uri = "test://static-binary", MimeType = "image/png", Blob = Encoding.UTF8.GetBytes(Fixture.PngBase64) };

    [McpServerResource(UriTemplate = "test://template/{id}/data", Name = "Resource Template", MimeType = "application/json"), Description("Data for an id.")]
    public static TextResourceContents Template(string id) => new()
    {
        Uri = $"test://template/{id}/data",
        MimeType = "application/json",
        Text = $"{{\"id\":{JsonSerializer.Serialize(id)},\"templateTest\":true,\"data\":{JsonSerializer.Serialize($"Data for ID: {id}")}}}",
    };

    [McpServerResource(UriTemplate = "test://watched-resource", Name = "Watched Resource", MimeType = "text/plain"), Description("A resource clients may watch.")]
    public static string Watched() => "Watched resource content";
}

[McpServerPromptType]
internal sealed class FixturePrompts
{
    [McpServerPrompt(Name = "test_simple_prompt"), Description("A prompt without arguments.")]
    public static string Simple() => "This is a simple prompt for testing.";

    [McpServerPrompt(Name = "test_prompt_with_arguments"), Description("A prompt with two arguments.")]
    public static string WithArguments([Description("First test argument")] string arg1, [Description("Second test argument")] string arg2) =>
        $"Prompt with arguments: arg1='{arg1}', arg2='{arg2}'";

    [McpServerPrompt(Name = "test_prompt_with_embedded_resource"), Description("A prompt that embeds a resource.")]
    public static IEnumerable<PromptMessage> WithResource([Description("URI of the resource to embed")] string resourceUri) =>
    [
        new() { Role = Role.User, Content = new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = resourceUri, MimeType = "text/plain", Text = "Embedded resource content for testing." } } },
        new() { Role = Role.User, Content = new TextContentBlock { Text = "Please process the embedded resource above." } },
    ];

    [McpServerPrompt(Name = "test_prompt_with_image"), Description("A prompt with an image.")]
    public static IEnumerable<PromptMessage> WithImage() =>
    [
        new() { Role = Role.User, Content = new ImageContentBlock { Data = Encoding.UTF8.GetBytes(Fixture.PngBase64), MimeType = "image/png" } },
        new() { Role = Role.User, Content = new TextContentBlock { Text = "Please analyze the image above." } },
    ];

    [McpServerPrompt(Name = "test_input_required_result_prompt"), Description("Asks for context before answering (SEP-2322 on prompts/get).")]
    public static GetPromptResult NeedsContext(RequestContext<GetPromptRequestParams> context)
    {
        if (context.Params?.InputResponses is { } responses && responses.TryGetValue("user_context", out var response))
        {
            return new GetPromptResult
            {
                Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = $"Continue with context: {Fixture.ElicitedText(response, "context") ?? "(none)"}" } }],
            };
        }
        throw new InputRequiredException(new Dictionary<string, InputRequest>
        {
            ["user_context"] = InputRequest.ForElicitation(Fixture.AskFor("What context should the prompt use?", "context")),
        });
    }
}
