using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;

namespace Workplace.ServiceDefaults.Resilience;

public static partial class HttpResilienceExtensions
{
    /// <summary>Registers the options (bound and validated at start) and the pipeline registry keyed by client name.</summary>
    public static IHostApplicationBuilder AddHttpResilience(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton<IConfigureOptions<HttpResilienceOptions>, ConfigureHttpResilienceOptions>();
        services.AddSingleton<IValidateOptions<HttpResilienceOptions>, ValidateHttpResilienceOptions>();
        services.AddOptions<HttpResilienceOptions>().ValidateOnStart();
        // Clients are named in code, so only the ones configured are known here; each is validated at start too.
        foreach (var client in builder.Configuration.GetSection(HttpResilienceOptions.SectionName).GetSection(HttpResilienceOptions.ClientsSectionName).GetChildren())
        {
            services.AddOptions<HttpResilienceOptions>(client.Key).ValidateOnStart();
        }
        services.AddSingleton<ResiliencePipelineRegistry<string>>();
        return builder;
    }

    /// <summary>
    /// Adds the resilience handler, outermost, with the pipeline for the client's name. On
    /// <c>ConfigureHttpClientDefaults</c> the builder has no name; the handler then takes the name of each client as
    /// the factory builds it.
    /// </summary>
    public static IHttpClientBuilder AddWorkplaceResilienceHandler(this IHttpClientBuilder http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var fixedName = http.Name;
        http.Services.AddSingleton<IConfigureOptions<HttpClientFactoryOptions>>(new ConfigureResilienceHandler(fixedName));
        return http;
    }

    // HttpMessageHandlerBuilder.Name is the only place the client's name is known when the handler is added for
    // every client at once, so the handler is added through the factory's builder actions.
    private sealed class ConfigureResilienceHandler(string? fixedName) : IConfigureNamedOptions<HttpClientFactoryOptions>
    {
        public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);

        public void Configure(string? name, HttpClientFactoryOptions options)
        {
            if (fixedName is not null && !string.Equals(fixedName, name, StringComparison.Ordinal))
            {
                return;
            }
            options.HttpMessageHandlerBuilderActions.Add(handlers =>
                handlers.AdditionalHandlers.Insert(0, new ResilienceHandler(GetPipeline(handlers.Services, handlers.Name ?? name ?? ""))));
        }
    }

    // One pipeline per client name, built once: the circuit breaker's state is per downstream, shared by every
    // HttpClient instance of that name.
    internal static ResiliencePipeline<HttpResponseMessage> GetPipeline(IServiceProvider services, string name)
    {
        var registry = services.GetRequiredService<ResiliencePipelineRegistry<string>>();
        return registry.GetOrAddPipeline<HttpResponseMessage>(name, pipeline =>
        {
            var options = services.GetRequiredService<IOptionsMonitor<HttpResilienceOptions>>().Get(name);
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Workplace.ServiceDefaults.Resilience");
            var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            pipeline.TimeProvider = time;
            Build(pipeline, name, options, logger, time);
        });
    }

    // Outer to inner, as the standard handler: total timeout → retry → circuit breaker → attempt timeout.
    internal static void Build(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, string name, HttpResilienceOptions options, ILogger logger, TimeProvider time)
    {
        var client = string.IsNullOrEmpty(name) ? "(default)" : name;
        pipeline.AddTimeout(options.TotalTimeout);
        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options, time)),
                // The server's Retry-After wins over our backoff (ShouldRetry already refused waits above MaxRetryAfter).
                DelayGenerator = args => ValueTask.FromResult(HttpResiliencePolicy.RetryAfter(args.Outcome.Result, time.GetUtcNow())),
                OnRetry = args =>
                {
                    LogRetry(logger, client, args.AttemptNumber + 1, Describe(args.Outcome), (long)args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }
        pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
        {
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            ShouldHandle = args => ValueTask.FromResult(HttpResiliencePolicy.IsTransient(args.Outcome)),
            OnOpened = args =>
            {
                LogBreakerOpened(logger, client, (long)args.BreakDuration.TotalMilliseconds, Describe(args.Outcome));
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                LogBreakerClosed(logger, client);
                return ValueTask.CompletedTask;
            },
        });
        pipeline.AddTimeout(options.AttemptTimeout);
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, HttpResilienceOptions options, TimeProvider time)
    {
        if (!HttpResiliencePolicy.IsTransient(outcome)
            || !context.Properties.TryGetValue(HttpResiliencePolicy.RequestKey, out var request)
            || !HttpResiliencePolicy.IsSafeToRetry(request, outcome))
        {
            return false;
        }
        // A server asking for a longer pause than we are willing to wait gets its answer passed on to the caller,
        // who can report "rate limited, retry after …" instead of holding a request open.
        return HttpResiliencePolicy.RetryAfter(outcome.Result, time.GetUtcNow()) is not { } wait || wait <= options.MaxRetryAfter;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } e
            ? e.GetType().Name
            : ((int?)outcome.Result?.StatusCode)?.ToString(CultureInfo.InvariantCulture) ?? "no response";

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP client {Client}: attempt {Attempt} failed ({Outcome}); retrying in {DelayMs} ms.")]
    private static partial void LogRetry(ILogger logger, string client, int attempt, string outcome, long delayMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP client {Client}: circuit opened for {BreakMs} ms after repeated failures (last: {Outcome}); calls fail fast until it closes.")]
    private static partial void LogBreakerOpened(ILogger logger, string client, long breakMs, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP client {Client}: circuit closed; calls flow again.")]
    private static partial void LogBreakerClosed(ILogger logger, string client);
}
