using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workplace.Connectors.Credentials;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Credentials;

/// <summary>A Redis that does not answer: the token source and the connections API say so; nothing crashes.</summary>
public sealed class GrantStoreDownTests
{
    [Fact]
    public async Task A_Redis_that_is_down_is_a_clear_provider_failure()
    {
        var root = Directory.CreateTempSubdirectory("store-down-").FullName;
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var closed = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{RedisServer.FreeLoopbackPort()},connectTimeout=300,asyncTimeout=500");
        try
        {
            await using var connectors = ConnectorsApp.Start(root, key, services => services.AddProviderCredentials("google_drive", "GoogleDrive", "Google Drive"),
                ("Logging:LogLevel:Default", "None"),
                ("ConnectionStrings:cache", closed),
                ("Sources:GoogleDrive:BaseUrl", "http://127.0.0.1:9/"),
                ("Sources:GoogleDrive:OAuth:ClientId", "client"));
            var user = new InternalPrincipal("store-down", new HashSet<string> { "google_drive" }, "someone@example.com");

            var tokens = connectors.Services.GetRequiredKeyedService<ITokenSource>("google_drive");
            var failure = await Assert.ThrowsAsync<SourceRequestException>(() => tokens.GetAccessTokenAsync(user, default).AsTask());
            Assert.Equal(SourceFailure.ProviderFailure, failure.Failure);
            Assert.Contains("cannot be read right now", failure.Message, StringComparison.Ordinal);

            using var http = new HttpClient { BaseAddress = connectors.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", new InternalAssertion(key).Create(user));
            using var list = await http.GetAsync(ConnectorRoutes.Connections);
            Assert.Equal(HttpStatusCode.BadGateway, list.StatusCode);
            Assert.Contains("cannot be read right now", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
