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
/// calls reads Redis and unprotects once. A save or delete here replaces or drops it at once; one on another replica
/// is seen here within <see cref="RecentLifetime"/>, and sooner when the provider refuses the old token (a refusal
/// refreshes through <see cref="GetAsync"/>, which always reads the store). While the store cannot be read, the last
/// grant this process held is used until its access token expires, so a Redis outage does not stop the providers.
/// </remarks>
public sealed partial class GrantVault(IDataProtectionProvider protection, TimeProvider time, ILogger<GrantVault> logger, IConnectionMultiplexer? redis = null) : IDisposable
{
    public const string KeyPrefix = "workplace:grants:";

    /// <summary>The longest a grant read from the store is used again without reading it: how long a grant deleted on another replica may still be used here.</summary>
    public static readonly TimeSpan RecentLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, byte[]> _inProcess = new(StringComparer.Ordinal);
    private readonly OncePerInterval _redisDown = new(TimeSpan.FromMinutes(1), time);

    // Counted in grants: a few hundred bytes each, so the bound is a few megabytes whatever the number of users.
    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    // The grant each user and source last had here, until its access token expires, used only while the store cannot
    // be read. Bounded like the recent grants.
    private readonly MemoryCache _lastKnown = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    // Moves on after every save and delete here reaches the store: a read that one overtook is not kept, or a grant
    // just replaced or deleted in this process could be kept again from the older read.
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
        }
        Interlocked.Increment(ref _changes);
        _recent.Remove(Key(userId, source));
        _lastKnown.Remove(Key(userId, source));
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
}
