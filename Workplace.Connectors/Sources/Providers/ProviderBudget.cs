using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Workplace.Connectors.Credentials;
using Workplace.ServiceDefaults.RateLimiting;

namespace Workplace.Connectors.Sources.Providers;

/// <summary>
/// One provider's request budget, and each user's where the provider counts per user, shared by every replica through
/// Redis (in process without it): both buckets are charged in one script run, one round trip.
/// </summary>
public sealed class ProviderBudget
{
    private const string KeyPrefix = "workplace:budget:";

    private readonly string _name;
    private readonly string _source;
    private readonly string _title;
    private readonly ProviderBudgetOptions _options;
    private readonly TokenBucket[] _bucket;
    private readonly SharedTokenBuckets _buckets;
    private readonly TimeProvider _timeProvider;

    public ProviderBudget(string source, string name, string title, IOptionsMonitor<ProviderBudgetOptions> options, IConnectionMultiplexer? redis, TimeProvider timeProvider, ILogger<ProviderBudget> logger)
    {
        _name = name;
        _title = title;
        _options = options.Get(source);
        _source = source;
        _bucket = [new TokenBucket(KeyPrefix + source, _options.RequestsPerSecond, _options.Burst)];
        _buckets = new SharedTokenBuckets($"{title} request limits", redis, timeProvider, logger);
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Returns when the next request of <paramref name="userId"/> (null: a call made for no one user) may go: at once, or
    /// after a wait of at most MaxWait.
    /// </summary>
    /// <exception cref="SourceRequestException">RateLimited: a budget has no turn within MaxWait; RetryAfter says when it has.</exception>
    public async Task WaitTurnAsync(string? userId, CancellationToken cancellationToken)
    {
        var buckets = userId is not null && _options.UserRequestsPerSecond is { } perUser
            ? [_bucket[0], new TokenBucket($"{KeyPrefix}{_source}:user:{userId}", perUser, _options.UserBurst ?? _options.Burst)]
            : _bucket;
        var (decision, _) = await _buckets.AcquireAsync(buckets, _options.MaxWait);
        if (!decision.Admitted)
        {
            var seconds = Math.Ceiling(decision.Wait.TotalSeconds);
            throw new SourceRequestException(SourceFailure.RateLimited, decision.Limiting == 1
                ? string.Create(CultureInfo.InvariantCulture,
                    $"You have sent {_title} more than this service sends it for one person ({_options.UserRequestsPerSecond:0.##} requests a second, Sources:{_name}:Budget:UserRequestsPerSecond). Try again in {seconds:0} s.")
                : string.Create(CultureInfo.InvariantCulture,
                    $"{_title} is busy: this service sends it at most {_options.RequestsPerSecond:0.##} requests a second (Sources:{_name}:Budget) and its queue is full. Try again in {seconds:0} s."),
                decision.Wait);
        }
        if (decision.Wait > TimeSpan.Zero)
        {
            await Task.Delay(decision.Wait, _timeProvider, cancellationToken);
        }
    }
}

/// <summary>Takes a turn from the provider's budget before each attempt, retries included.</summary>
internal sealed class ProviderBudgetHandler(ProviderBudget budget) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await budget.WaitTurnAsync(request.Options.TryGetValue(ProviderRequest.User, out var user) ? user.UserId : null, cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }
}
