using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Workplace.ServiceDefaults.DataProtection;

public static class KeyRingExtensions
{
    /// <summary>The Redis key of the key ring both services share.</summary>
    public const string RedisKey = "workplace:dataprotection:keys";

    /// <summary>
    /// DataProtection under the application name "Workplace" in mcpapi and connectors. When Redis is registered (an
    /// <see cref="IConnectionMultiplexer"/>), the key ring lives there, so every replica reads what another sealed and a
    /// restart keeps its keys; without Redis it stays where DataProtection keeps it by default (this machine only).
    /// </summary>
    public static IServiceCollection AddWorkplaceDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Workplace");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            if (provider.GetService<IConnectionMultiplexer>() is { } redis)
            {
                options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), RedisKey);
            }
        });
        return services;
    }
}
