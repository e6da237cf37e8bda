using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using Workplace.Connectors.Sources;

namespace Workplace.Tests.Connectors;

[Collection(ConnectorsCollection.Name)]
public sealed class ConnectorsStartupTests
{
    [Theory]
    [InlineData("", "Internal:SigningKey is not set")]
    [InlineData("c2hvcnQ=", "at least 32 bytes")]
    [InlineData("not base64!", "must be base64")]
    public void Start_WithoutAUsableSigningKey_RefusesWithAClearMessage(string key, string message)
    {
        using var factory = new WebApplicationFactory<SourceRegistry>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Internal:SigningKey", key);
            web.UseSetting("Sources:Files:Root", Path.GetTempPath());
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
