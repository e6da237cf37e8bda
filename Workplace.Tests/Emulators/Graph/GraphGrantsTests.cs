using Microsoft.Extensions.Time.Testing;
using Workplace.Emulators.Graph;
using Workplace.Emulators.Workspace;

namespace Workplace.Tests.Emulators.Graph;

/// <summary>The identity platform's clock-bound rules, on the emulator's own grant store with time moved by hand.</summary>
public sealed class GraphGrantsTests
{
    [Fact]
    public void AnAccessToken_ExpiresAfterItsLifetime_AndARefreshedOneIsValid()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-02T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var grants = new GraphGrants(time);
        var grant = IdentityPlatform.Grant(EmulatedUsers.Aditi, "workplace", "offline_access Files.Read.All", out _)!;
        var first = grants.Issue(grant);

        time.Advance(TimeSpan.FromSeconds(first.ExpiresIn - 1));
        var beforeExpiry = grants.Check(first.AccessToken, out _);
        time.Advance(TimeSpan.FromSeconds(1));
        var atExpiry = grants.Check(first.AccessToken, out _);
        var refreshed = grants.Issue(grants.FindRefreshToken(first.RefreshToken!)!);

        Assert.Equal(AccessTokenState.Valid, beforeExpiry);
        Assert.Equal(AccessTokenState.Expired, atExpiry);
        Assert.Equal(AccessTokenState.Valid, grants.Check(refreshed.AccessToken, out var owner));
        Assert.Same(EmulatedUsers.Aditi, owner!.User);
    }

    [Fact]
    public void AnAuthorizationCode_IsGoodForTenMinutes_AndOnce()
    {
        var time = new FakeTimeProvider();
        var grants = new GraphGrants(time);
        var grant = IdentityPlatform.Grant(EmulatedUsers.Priya, "workplace", "Files.Read.All", out _)!;
        var late = grants.IssueCode(grant, "http://localhost/cb", null, null);
        time.Advance(TimeSpan.FromMinutes(10));
        var fresh = grants.IssueCode(grant, "http://localhost/cb", null, null);

        Assert.Null(grants.RedeemCode(late, out var lateReplayed));
        Assert.False(lateReplayed);
        Assert.NotNull(grants.RedeemCode(fresh, out _));
        Assert.Null(grants.RedeemCode(fresh, out var replayed));
        Assert.True(replayed);
        Assert.Null(grants.Issue(grant).RefreshToken);
    }

    [Fact]
    public void ExpiringAUsersTokens_SparesOtherUsers_AndLaterTokens()
    {
        var grants = new GraphGrants(new FakeTimeProvider());
        var aditi = grants.Issue(IdentityPlatform.Grant(EmulatedUsers.Aditi, "workplace", "Files.Read.All", out _)!);
        var renata = grants.Issue(IdentityPlatform.Grant(EmulatedUsers.Renata, "workplace", "Files.Read.All", out _)!);

        grants.ExpireAccessTokens(EmulatedUsers.Aditi);
        var later = grants.Issue(IdentityPlatform.Grant(EmulatedUsers.Aditi, "workplace", "Files.Read.All", out _)!);

        Assert.Equal(AccessTokenState.Expired, grants.Check(aditi.AccessToken, out _));
        Assert.Equal(AccessTokenState.Valid, grants.Check(renata.AccessToken, out _));
        Assert.Equal(AccessTokenState.Valid, grants.Check(later.AccessToken, out _));
        Assert.Equal(AccessTokenState.Unknown, grants.Check("forged", out _));
    }
}
