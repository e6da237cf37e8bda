using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace Workplace.ServiceDefaults.Resilience;

public static class HttpResilienceExtensions
{
    public const string SectionName = "HttpResilience";
    public const string ClientsSectionName = "Clients";

    // The standard handler names its options "<client name>-standard"; on ConfigureHttpClientDefaults the client
    // name is empty, so every client without its own handler shares "-standard" (and its breakers, one per host).
    private const string StandardSuffix = "-standard";

    /// <summary>
    /// Binds the options of the standard resilience handler (added to every HttpClient by AddServiceDefaults) from
    /// <c>HttpResilience:*</c> and adds the project's retry rules. A client configured under
    /// <c>HttpResilience:Clients:&lt;client name&gt;</c> gets a handler of its own: its own options and circuit breakers.
    /// </summary>
    public static IHostApplicationBuilder AddHttpResilienceOptions(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<IConfigureOptions<HttpStandardResilienceOptions>, ConfigureStandardResilience>();
        services.AddSingleton<IConfigureOptions<HttpRetryRules>, ConfigureRetryRules>();
        services.AddOptions<HttpRetryRules>().ValidateDataAnnotations().ValidateOnStart();
        // Polly reports every failed attempt, retry and attempt timeout as a warning or an error: during an outage,
        // lines per request. They stay on Polly's meter and at Debug in the log; the caller reports the outage once
        // per interval (OncePerInterval), and circuit changes keep their levels.
        services.Configure<TelemetryOptions>(telemetry => telemetry.SeverityProvider = args => args.Event.EventName switch
        {
            "ExecutionAttempt" or "OnRetry" or "OnTimeout" => ResilienceEventSeverity.Debug,
            _ => args.Event.Severity,
        });
        // Clients are named in code, so only the ones configured are known here.
        foreach (var client in builder.Configuration.GetSection(SectionName).GetSection(ClientsSectionName).GetChildren())
        {
            services.AddOptions<HttpRetryRules>(client.Key).ValidateDataAnnotations().ValidateOnStart();
            AddOwnHandler(services.AddHttpClient(client.Key));
        }
        return builder;
    }

    private static void AddOwnHandler(IHttpClientBuilder http)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is the package's way to replace the default handler for one client.
        http.RemoveAllResilienceHandlers().AddStandardResilienceHandler().SelectPipelineByAuthority();
#pragma warning restore EXTEXP0001
        http.MoveResilienceHandlersFirst();
    }

    /// <summary>
    /// For a client whose resilience handler replaced the default one: AddStandardResilienceHandler appends, so this
    /// moves it back in front of service discovery's and the client's own handlers, where the default one was, and
    /// every other handler runs once per attempt.
    /// </summary>
    public static IHttpClientBuilder MoveResilienceHandlersFirst(this IHttpClientBuilder http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.ConfigureAdditionalHttpMessageHandlers(static (handlers, _) =>
        {
            var resilience = handlers.OfType<ResilienceHandler>().ToList();
            foreach (var handler in resilience)
            {
                handlers.Remove(handler);
            }
            for (var i = 0; i < resilience.Count; i++)
            {
                handlers.Insert(i, resilience[i]);
            }
        });
    }

    /// <summary>The client name behind a standard handler's options name: "" for the shared default handler.</summary>
    private static string ClientName(string? optionsName) =>
        optionsName is not null && optionsName.EndsWith(StandardSuffix, StringComparison.Ordinal) ? optionsName[..^StandardSuffix.Length] : "";

    private static void Bind(IConfiguration configuration, string client, object options)
    {
        var section = configuration.GetSection(SectionName);
        section.Bind(options);
        if (client.Length > 0)
        {
            section.GetSection(ClientsSectionName).GetSection(client).Bind(options);
        }
    }

    private sealed class ConfigureRetryRules(IConfiguration configuration) : IConfigureNamedOptions<HttpRetryRules>
    {
        public void Configure(HttpRetryRules options) => Configure(Options.DefaultName, options);

        public void Configure(string? name, HttpRetryRules options) => Bind(configuration, name ?? "", options);
    }

    // Runs after the standard handler's defaults and before its validation, for every client's options.
    private sealed class ConfigureStandardResilience(IConfiguration configuration, IOptionsMonitor<HttpRetryRules> rules, IServiceProvider services)
        : IConfigureNamedOptions<HttpStandardResilienceOptions>
    {
        public void Configure(HttpStandardResilienceOptions options) => Configure(Options.DefaultName, options);

        public void Configure(string? name, HttpStandardResilienceOptions options)
        {
            var client = ClientName(name);
            Bind(configuration, client, options);
            // The strategies take the clock from DI (Polly.Extensions); the package's own Retry-After reader uses the
            // system clock, so HTTP-dates are read here against the same clock the waits run on.
            var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            var retry = options.Retry;
            var isTransient = retry.ShouldHandle;
            retry.ShouldHandle = async args =>
                await isTransient(args).ConfigureAwait(false)
                && args.Context.GetRequestMessage() is { } request
                && HttpResiliencePolicy.IsSafeToRetry(request, args.Outcome)
                // A server asking for a longer pause than we are willing to wait gets its answer passed on to the
                // caller, who can report "rate limited, retry after …" instead of holding a request open.
                && !(HttpResiliencePolicy.RetryAfter(args.Outcome.Result, time.GetUtcNow()) > rules.Get(client).MaxRetryAfter);
            if (retry.ShouldRetryAfterHeader)
            {
                retry.DelayGenerator = args => ValueTask.FromResult(HttpResiliencePolicy.RetryAfter(args.Outcome.Result, time.GetUtcNow()));
            }
        }
    }
}
