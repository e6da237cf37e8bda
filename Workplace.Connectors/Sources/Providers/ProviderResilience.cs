using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using StackExchange.Redis;
using Workplace.ServiceDefaults.Resilience;

namespace Workplace.Connectors.Sources.Providers;

/// <summary>
/// Retries, deadlines, a circuit breaker and a request budget for the HttpClient a provider source calls its provider
/// with, on top of the standard resilience handler every client gets from AddServiceDefaults.
/// </summary>
public static class ProviderResilience
{
    // mcpapi gives each source 8 s (Search:PerSourceTimeout): the provider's answer, retries and waits included, has to
    // come in 7 s so a slow provider reads "timeout" from here rather than a cut connection there.
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(7);

    // Long enough for a budget wait (at most 3 s) and a slow search; short enough to leave time for one more attempt.
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);

    // A longer Retry-After is handed back as "rate limited, try again in …" rather than waited out past the deadline.
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Sets up <paramref name="client"/> for the provider behind <paramref name="source"/> (configuration
    /// <c>Sources:{name}</c>, shown to users as <paramref name="title"/>):
    /// <list type="bullet">
    /// <item>retries with jittered exponential backoff, or after the Retry-After asked for (up to 4 s), on 429, 5xx
    /// (Notion's 529 included) and Google's 403 rateLimitExceeded / userRateLimitExceeded; the provider's read-only
    /// POSTs (Notion search and queries, Graph search) are retried like GETs;</item>
    /// <item>5 s per attempt and 7 s in all, within mcpapi's 8 s per source;</item>
    /// <item>one circuit breaker for the client, whatever host it calls, whose open state <see cref="ProviderCircuits"/> reports;</item>
    /// <item>a request budget shared through Redis, <c>Sources:{name}:Budget</c> (<see cref="ProviderBudgetOptions"/>).</item>
    /// </list>
    /// Each of these can be tuned under <c>HttpResilience:Clients:{client name}</c> as for any client. Call after
    /// AddServiceDefaults.
    /// </summary>
    public static IHttpClientBuilder AddProviderResilience(this IHttpClientBuilder client, string source, string name, string title)
    {
        ArgumentNullException.ThrowIfNull(client);
        var services = client.Services;
        var clientName = client.Name;
        var profile = ProviderProfile.For(source);

        services.TryAddSingleton<ProviderCircuits>(sp => new ProviderCircuits(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddOptions<ProviderBudgetOptions>(source)
            .Configure(budget =>
            {
                budget.RequestsPerSecond = profile.RequestsPerSecond;
                budget.Burst = profile.Burst;
                budget.UserRequestsPerSecond = profile.UserRequestsPerSecond;
                budget.MaxWait = TimeSpan.FromSeconds(2);
            })
            .BindConfiguration($"Sources:{name}:{ProviderBudgetOptions.Section}")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddKeyedSingleton(source, (sp, _) => new ProviderBudget(source, name, title,
            sp.GetRequiredService<IOptionsMonitor<ProviderBudgetOptions>>(), sp.GetService<IConnectionMultiplexer>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<ILogger<ProviderBudget>>()));

        // The retry rules bind HttpResilience:* first: the provider's default goes over that, the client's own section over both.
        services.AddOptions<HttpRetryRules>(clientName)
            .Configure<IConfiguration>((rules, configuration) =>
            {
                rules.MaxRetryAfter = MaxRetryAfter;
                ClientSection(configuration, clientName).Bind(rules);
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();

#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is the package's way to replace the default handler for one client.
        client.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        // One pipeline, so one breaker for the provider whatever host a call goes to. The key is set, not left out: a
        // client under HttpResilience:Clients already has a by-authority selector (ServiceDefaults) for this handler's name.
        client.AddStandardResilienceHandler()
            .Configure((options, sp) => Configure(options, sp, source, clientName, profile))
            .SelectPipelineBy(_ => _ => clientName);
        client.MoveResilienceHandlersFirst();
        client.AddHttpMessageHandler(sp => new ProviderBudgetHandler(sp.GetRequiredKeyedService<ProviderBudget>(source)));
        return client;
    }

    private static IConfigurationSection ClientSection(IConfiguration configuration, string client) =>
        configuration.GetSection(HttpResilienceExtensions.SectionName).GetSection(HttpResilienceExtensions.ClientsSectionName).GetSection(client);

    // Runs after ServiceDefaults bound HttpResilience:* and added its retry rules (HttpResilienceExtensions): the
    // provider's defaults go over the shared section, which suits calls inside the deployment, and the client's own over both.
    private static void Configure(HttpStandardResilienceOptions options, IServiceProvider services, string source, string client, ProviderProfile profile)
    {
        options.AttemptTimeout.Timeout = AttemptTimeout;
        options.TotalRequestTimeout.Timeout = TotalTimeout;
        options.Retry.MaxRetryAttempts = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        // The standard breaker waits for 100 calls in 30 s: a provider's calls per replica are far fewer.
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.MinimumThroughput = 5;
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
        ClientSection(services.GetRequiredService<IConfiguration>(), client).Bind(options);

        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var rules = services.GetRequiredService<IOptionsMonitor<HttpRetryRules>>();
        var retry = options.Retry;
        var shouldRetry = retry.ShouldHandle;
        retry.ShouldHandle = async args =>
        {
            // ServiceDefaults' rule, inside shouldRetry, retries a POST only when marked: mark the provider's reads first.
            if (args.Context.GetRequestMessage() is { } request && profile.IsReadOnlyPost(request))
            {
                request.Options.Set(HttpResiliencePolicy.RetryNonIdempotent, true);
            }
            // A "slow down" refused the request without acting on it: safe to send again whatever the method.
            return await shouldRetry(args)
                || (args.Outcome.Result is { } response
                    && await profile.IsThrottled(response, args.Context.CancellationToken)
                    && !(HttpResiliencePolicy.RetryAfter(response, time.GetUtcNow()) > rules.Get(client).MaxRetryAfter));
        };

        var breaker = options.CircuitBreaker;
        var shouldBreak = breaker.ShouldHandle;
        breaker.ShouldHandle = async args =>
            await shouldBreak(args) || (args.Outcome.Result is { } response && await profile.IsThrottled(response, args.Context.CancellationToken));
        var circuits = services.GetRequiredService<ProviderCircuits>();
        var opened = breaker.OnOpened;
        breaker.OnOpened = async args =>
        {
            circuits.Opened(source, client, args.BreakDuration);
            if (opened is not null)
            {
                await opened(args);
            }
        };
        var closed = breaker.OnClosed;
        breaker.OnClosed = async args =>
        {
            circuits.Closed(client);
            if (closed is not null)
            {
                await closed(args);
            }
        };
    }
}
