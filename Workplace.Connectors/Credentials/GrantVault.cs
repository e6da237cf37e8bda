using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.Logging;

namespace Workplace.Connectors.Credentials;

/// <summary>
/// Users' provider grants, encrypted at rest with ASP.NET Core DataProtection under a purpose that names the user and
/// the source, so a grant copied under another user's key does not decrypt. In Redis (one string per user and source
/// under <c>workplace:grants:</c>) when it is registered, shared by replicas; otherwise in this process. A grant that
/// does not open reads as none: the user connects again.
/// </summary>
/// <remarks>
/// Every provider call needs the user's access token: <see cref="GetRecentAsync"/> keeps the opened grant in this
/// process for <see cref="RecentLifetime"/> at most (and never past its access token's refresh time), so a burst of
/// calls reads Redis and unprotects once. A save or delete here replaces or drops it at once, and is announced on a
/// Redis channel, so that every other replica drops its copy as the message arrives (<see cref="ListenAsync"/>). A
/// replica that could not hear for a while (its link to Redis was down) drops every grant it kept when the link comes
/// back. While the store cannot be read, the last grant this process held is used until its access token expires, so a
/// Redis outage does not stop the providers.
/// </remarks>
public sealed partial class GrantVault(IDataProtectionProvider protection, TimeProvider time, ILogger<GrantVault> logger, IConnectionMultiplexer? redis = null) : IDisposable
{
    public const string KeyPrefix = "workplace:grants:";

    /// <summary>The longest a grant read from the store is used again without reading it.</summary>
    public static readonly TimeSpan RecentLifetime = TimeSpan.FromSeconds(30);

    private static readonly RedisChannel s_changes = RedisChannel.Literal(KeyPrefix + "changed");

    // Names this process in what it announces, so it does not drop the grant it has just stored.
    private readonly string _announcer = Guid.NewGuid().ToString("N") + " ";

    private readonly ConcurrentDictionary<string, byte[]> _inProcess = new(StringComparer.Ordinal);
    private readonly OncePerInterval _redisDown = new(TimeSpan.FromMinutes(1), time);
    private readonly OncePerInterval _announceFailed = new(TimeSpan.FromMinutes(1), time);

    // Counted in grants: a few hundred bytes each, so the bound is a few megabytes whatever the number of users.
    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    // The grant each user and source last had here, until its access token expires, used only while the store cannot
    // be read. Bounded like the recent grants.
    private readonly MemoryCache _lastKnown = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    // Moves on after every save and delete here reaches the store, and every change heard from another replica: a read
    // that one overtook is not kept, or a grant just replaced or deleted could be kept again from the older read.
    private long _changes;

    public async Task SaveAsync(string userId, string source, ProviderGrant grant, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(grant, CredentialsJsonContext.Default.ProviderGrant);
        var sealedGrant = Protector(userId, source).Protect(bytes);
        if (redis is null)
        {
            _inProcess[Key(userId, source)] = sealedGrant;
        }
        else
        {
            await InRedisAsync(db => db.StringSetAsync(Key(userId, source), sealedGrant), cancellationToken);
            await AnnounceAsync(Key(userId, source));
        }
        Interlocked.Increment(ref _changes);
        Remember(userId, source, grant);
    }

    /// <summary>
    /// The grant as this process last read or stored it, if that was within <see cref="RecentLifetime"/> and before its
    /// access token's refresh time; otherwise read from the store. For the calls that only need a token to send.
    /// </summary>
    public async Task<ProviderGrant?> GetRecentAsync(string userId, string source, CancellationToken cancellationToken)
    {
        if (_recent.TryGetValue(Key(userId, source), out ProviderGrant? recent))
        {
            return recent;
        }
        var changes = Interlocked.Read(ref _changes);
        ProviderGrant? grant;
        try
        {
            grant = await GetAsync(userId, source, cancellationToken);
        }
        catch (SourceRequestException) when (_lastKnown.TryGetValue(Key(userId, source), out ProviderGrant? known) && time.GetUtcNow() < known!.ExpiresAt)
        {
            // The store is down: the grant this process last held still carries an access token the provider accepts, so
            // searches go on as the user until that token expires (a refresh needs the store and waits for it).
            return known;
        }
        if (grant is not null && Interlocked.Read(ref _changes) == changes)
        {
            Remember(userId, source, grant);
        }
        return grant;
    }

    /// <summary>The grant as the store holds it now (Redis, shared by replicas).</summary>
    public async Task<ProviderGrant?> GetAsync(string userId, string source, CancellationToken cancellationToken)
    {
        byte[]? sealedGrant = redis is null
            ? _inProcess.GetValueOrDefault(Key(userId, source))
            : await InRedisAsync(async db => (byte[]?)await db.StringGetAsync(Key(userId, source)), cancellationToken);
        if (sealedGrant is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(Protector(userId, source).Unprotect(sealedGrant), CredentialsJsonContext.Default.ProviderGrant);
        }
        catch (CryptographicException)
        {
            // Sealed for another user or source, or with a key the ring no longer holds: no grant this user can use.
            return null;
        }
    }

    public async Task DeleteAsync(string userId, string source, CancellationToken cancellationToken)
    {
        if (redis is null)
        {
            _inProcess.TryRemove(Key(userId, source), out _);
        }
        else
        {
            await InRedisAsync(db => db.KeyDeleteAsync(Key(userId, source)), cancellationToken);
            await AnnounceAsync(Key(userId, source));
        }
        Forget(Key(userId, source));
    }

    /// <summary>
    /// Hears the saves and deletes other replicas announce and drops what this process keeps of those grants; drops all
    /// of them when the link to Redis comes back, since announcements made meanwhile were not heard. Returns once
    /// subscribed (without Redis at once); throws while Redis cannot be reached.
    /// </summary>
    public async Task ListenAsync()
    {
        if (redis is null)
        {
            return;
        }
        await redis.GetSubscriber().SubscribeAsync(s_changes, (_, message) =>
        {
            var announced = message.ToString();
            if (!announced.StartsWith(_announcer, StringComparison.Ordinal))
            {
                Forget(announced[(announced.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
            }
        });
        redis.ConnectionRestored += (_, _) => Forget();
        // Anything kept before the subscription took effect may have missed an announcement.
        Forget();
    }

    private void Forget(string? key = null)
    {
        Interlocked.Increment(ref _changes);
        if (key is null)
        {
            _recent.Clear();
            _lastKnown.Clear();
        }
        else
        {
            _recent.Remove(key);
            _lastKnown.Remove(key);
        }
    }

    // The change is in the store already: an announcement that fails leaves other replicas on their copy for at most
    // RecentLifetime, and the failure is logged like any other on this store.
    private async Task AnnounceAsync(string key)
    {
        try
        {
            await redis!.GetSubscriber().PublishAsync(s_changes, _announcer + key);
        }
        catch (RedisException e)
        {
            if (_announceFailed.Occurred(out var suppressed))
            {
                LogAnnouncementFailed(logger, e.GetType().Name, suppressed);
            }
        }
    }

    public void Dispose()
    {
        _recent.Dispose();
        _lastKnown.Dispose();
    }

    private void Remember(string userId, string source, ProviderGrant grant)
    {
        var lifetime = RecentLifetime;
        if (grant.ExpiresAt is { } expires)
        {
            _lastKnown.Set(Key(userId, source), grant, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = expires });
            var untilRefresh = expires - ConnectFlowTokenSource.RefreshAhead - time.GetUtcNow();
            lifetime = untilRefresh < lifetime ? untilRefresh : lifetime;
        }
        if (lifetime > TimeSpan.Zero)
        {
            _recent.Set(Key(userId, source), grant, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
        }
    }

    /// <summary>
    /// Takes the short lock that keeps replicas from refreshing one grant at the same time; true without Redis (the
    /// caller's in-process single flight is then the only one needed). <paramref name="owner"/> releases it.
    /// </summary>
    public async Task<bool> TryLockRefreshAsync(string userId, string source, string owner, TimeSpan lifetime) =>
        redis is null || await InRedisAsync(db => db.LockTakeAsync(LockKey(userId, source), owner, lifetime), CancellationToken.None);

    public async Task ReleaseRefreshAsync(string userId, string source, string owner)
    {
        if (redis is not null)
        {
            await InRedisAsync(db => db.LockReleaseAsync(LockKey(userId, source), owner), CancellationToken.None);
        }
    }

    private async Task<T> InRedisAsync<T>(Func<IDatabase, Task<T>> command, CancellationToken cancellationToken)
    {
        try
        {
            return await command(redis!.GetDatabase()).WaitAsync(cancellationToken);
        }
        catch (RedisException e)
        {
            if (_redisDown.Occurred(out var suppressed))
            {
                LogRedisDown(logger, e.GetType().Name, suppressed);
            }
            throw new SourceRequestException(SourceFailure.ProviderFailure,
                "Your stored provider access cannot be read right now (its store is unavailable). Try again in a minute.", inner: e);
        }
    }

    private static string Key(string userId, string source) => $"{KeyPrefix}{source}:{userId}";

    private static string LockKey(string userId, string source) => $"{KeyPrefix}refresh-lock:{source}:{userId}";

    private IDataProtector Protector(string userId, string source) =>
        protection.CreateProtector("Workplace.GrantVault.v1", source, userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Redis, which holds users' provider grants, failed ({Failure}); provider sources answer with an error until it is back ({Suppressed} more since the last line).")]
    private static partial void LogRedisDown(ILogger logger, string failure, int suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change to a user's provider grant could not be announced to the other replicas ({Failure}); they may use their copy for up to 30 s ({Suppressed} more since the last line).")]
    private static partial void LogAnnouncementFailed(ILogger logger, string failure, int suppressed);
}
