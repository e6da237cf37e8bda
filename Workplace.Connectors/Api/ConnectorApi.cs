using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Workplace.Connectors.Sources;
using Workplace.Connectors.Sources.Providers;
using Workplace.Connectors.Telemetry;
using Workplace.ServiceDefaults.ConnectorApi;

namespace Workplace.Connectors.Api;

/// <summary>The internal API mcpapi calls (Workplace.ServiceDefaults/ConnectorApi/ConnectorContract.cs).</summary>
public static class ConnectorApi
{
    public const int MaxQueryChars = 500;
    public const int DefaultMaxResults = 10;
    public const int MaxResults = 50;
    public const int DefaultMaxChars = 20_000;
    public const int MaxChars = 100_000;

    // A search request is a query of at most 500 characters and three small fields.
    private const long MaxSearchBodyBytes = 16 * 1024;

    /// <summary>Internal assertion checking (key `Internal:SigningKey`, validated at start), JSON and problem details.</summary>
    public static IHostApplicationBuilder AddConnectorApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IValidateOptions<InternalAuthOptions>, InternalAuthOptionsValidator>();
        builder.Services.AddOptions<InternalAuthOptions>().BindConfiguration(InternalAuthOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton(sp => new InternalAssertion(sp.GetRequiredService<IOptions<InternalAuthOptions>>().Value.SigningKey, sp.GetService<TimeProvider>()));
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ConnectorJsonContext.Default);
        });
        return builder;
    }

    public static WebApplication MapConnectorApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Routes come from the shared contract, so this side cannot drift from what mcpapi calls.
        var api = app.MapGroup("").AddEndpointFilter(InternalAuthentication.RequireAssertionAsync).WithTags("Internal");
        api.MapGet(ConnectorRoutes.Sources, ListSources).WithName("ListSources").WithSummary("Every source this service serves.");
        api.MapPost(ConnectorRoutes.Sources + "/{source}/search", SearchAsync).WithName("Search").WithSummary("Searches one source as the asserted user.");
        api.MapGet(ConnectorRoutes.Documents, FetchAsync).WithName("Fetch").WithSummary("Reads a range of a document as Markdown.");
        return app;
    }

    // The provider client's circuit, or a pause the source itself reports (one whose provider is not an HttpClient here).
    private static Ok<SourceList> ListSources(SourceRegistry registry, ProviderCircuits circuits) =>
        TypedResults.Ok(new SourceList([.. registry.All.Select(s => s.Descriptor with { PausedUntil = circuits.PausedUntil(s.Id) ?? s.Descriptor.PausedUntil })]));

    private static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> SearchAsync(
        string source, HttpContext context, SourceRegistry registry, ConnectorMetrics metrics, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(source, out var documents))
        {
            return Problems.UnknownSource(source);
        }
        var principal = context.Principal();
        if (!principal.GrantedSources.Contains(source))
        {
            return Problems.Forbidden(source);
        }
        var body = await JsonBody.ReadAsync(context, ConnectorJsonContext.Default.SearchRequest, MaxSearchBodyBytes, cancellationToken);
        if (body.TooLarge)
        {
            return Problems.Create(StatusCodes.Status413PayloadTooLarge, "Body too large", $"A search request body is at most {MaxSearchBodyBytes} bytes. Send only query, max_results, include_content and modified_after.");
        }
        if (body.Malformed is { } malformed)
        {
            return Problems.BadRequest($"The body is not a valid search request ({malformed}). Send JSON like {{\"query\": \"travel policy\", \"max_results\": 10}}.");
        }
        var request = body.Value;
        if (Validate(request) is { } invalid)
        {
            return Problems.BadRequest(invalid);
        }
        request = request! with { MaxResults = request.MaxResults == 0 ? DefaultMaxResults : request.MaxResults };

        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await documents.SearchAsync(principal, request, cancellationToken);
            metrics.RecordSearch(source, "ok", Stopwatch.GetElapsedTime(started));
            return TypedResults.Ok(response);
        }
        catch (SourceRequestException e)
        {
            metrics.RecordSearch(source, e.Failure.ToString(), Stopwatch.GetElapsedTime(started));
            return Problems.From(e, context);
        }
    }

    private static string? Validate(SearchRequest? request)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Query))
        {
            return "query is missing or blank. Send the words to search for in \"query\".";
        }
        if (request.Query.Length > MaxQueryChars)
        {
            return $"query is {request.Query.Length} characters; the limit is {MaxQueryChars}. Shorten the query.";
        }
        if (request.MaxResults is < 0 or > MaxResults)
        {
            return $"max_results is {request.MaxResults}; it must be from 1 to {MaxResults} (omit it for {DefaultMaxResults}).";
        }
        return null;
    }

    private static async Task<Results<Ok<DocumentRange>, ProblemHttpResult>> FetchAsync(
        string? id, string? offset, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "max_chars")] string? maxChars, HttpContext context, SourceRegistry registry, ConnectorMetrics metrics, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id))
        {
            return Problems.BadRequest("id is missing. Pass ?id= with a document id exactly as search returned it.");
        }
        if (!DocumentId.TryParse(id, out var source, out var native))
        {
            return Problems.BadRequest($"invalid id: a document id is '{{source}}:{{native id}}' and at most {DocumentId.MaxLength} characters. Pass an id exactly as search returned it.");
        }
        if (!TryParse(offset, 0, 0, int.MaxValue, out var start))
        {
            return Problems.BadRequest("offset must be a whole number of characters, 0 or more. Use next_offset from the previous range.");
        }
        if (!TryParse(maxChars, DefaultMaxChars, 1, MaxChars, out var length))
        {
            return Problems.BadRequest($"max_chars must be a whole number from 1 to {MaxChars} (omit it for {DefaultMaxChars}).");
        }
        if (!registry.TryGet(source, out var documents))
        {
            return Problems.UnknownSource(source);
        }
        var principal = context.Principal();
        if (!principal.GrantedSources.Contains(source))
        {
            return Problems.Forbidden(source);
        }
        try
        {
            var range = await documents.FetchAsync(principal, native, start, length, cancellationToken);
            metrics.RecordFetch(source, "ok");
            return TypedResults.Ok(range);
        }
        catch (SourceRequestException e)
        {
            metrics.RecordFetch(source, e.Failure.ToString());
            return Problems.From(e, context);
        }
    }

    private static bool TryParse(string? text, int fallback, int min, int max, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
    }
}
