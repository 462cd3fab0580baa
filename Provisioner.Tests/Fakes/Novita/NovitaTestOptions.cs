using Provisioner.Core.Providers.Novita;

namespace Provisioner.Tests.Fakes.Novita;

/// <summary>The adapter's options pointed at a local Novita.</summary>
public static class NovitaTestOptions
{
    public const string Image = "nvidia/cuda:12.4.1-runtime-ubuntu22.04";

    public static NovitaOptions For(LocalNovita novita, int pageSize = 100) => new()
    {
        Enabled = true,
        ApiKey = LocalNovita.ApiKey,
        Endpoint = novita.Endpoint,
        DefaultImage = Image,
        ListPageSize = pageSize,
        ProductCacheTime = TimeSpan.Zero,
    };
}
