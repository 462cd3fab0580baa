using System.ComponentModel.DataAnnotations;

namespace Provisioner.Core.Providers.Novita;

/// <summary>
/// The NovitaAI GPU instance adapter. Section <c>Providers:Novita</c>. The API key comes from <see cref="ApiKey"/> or,
/// when that is empty, from the <c>NOVITA_API_KEY</c> environment variable (so it can live in a secret store).
/// </summary>
public sealed class NovitaOptions : ICloudAdapterOptions
{
    public const string Section = "Providers:Novita";

    /// <summary>The environment variable read when <see cref="ApiKey"/> is not set.</summary>
    public const string ApiKeyVariable = "NOVITA_API_KEY";

    /// <summary>Serve <c>NOVITA</c> requests from NovitaAI (otherwise the simulated cloud stands in). Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The API key, sent as a bearer token. Required when enabled (here or in <c>NOVITA_API_KEY</c>).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The v1 GPU instance API. Default <c>https://api.novita.ai/gpu-instance/openapi/v1/</c>; a local Novita in tests.</summary>
    public Uri Endpoint { get; set; } = new("https://api.novita.ai/gpu-instance/openapi/v1/");

    /// <summary>
    /// The container image per product (<c>Images:RTX 4090 24GB</c>) when a request names no template. Novita starts a
    /// container, not a VM image: the image must carry what the workload needs.
    /// </summary>
    public Dictionary<string, string> Images { get; set; } = [];

    /// <summary>The image where <see cref="Images"/> names none. Default NVIDIA's CUDA 12.4 runtime on Ubuntu 22.04.</summary>
    public string? DefaultImage { get; set; } = "nvidia/cuda:12.4.1-runtime-ubuntu22.04";

    /// <summary>Ports to expose, in Novita's form (<c>"8888/http, 22/tcp"</c>); 2222-2224 are Novita's own. Default <c>22/tcp</c>.</summary>
    public string? Ports { get; set; } = "22/tcp";

    /// <summary>Longest one call may take at the HTTP level. Default 30 s (the resilience pipeline's attempt timeout is usually shorter).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Instances per listing page (<c>pageSize</c>). Default 100.</summary>
    [Range(1, 1000)]
    public int ListPageSize { get; set; } = 100;

    /// <summary>How long the product list (prices and availability) is reused before it is read again. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ProductCacheTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The key in force: <see cref="ApiKey"/>, or the environment's.</summary>
    public string? ResolveApiKey() =>
        !string.IsNullOrWhiteSpace(ApiKey) ? ApiKey : Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;

    public string? ImageFor(string product) =>
        Images.TryGetValue(product, out var image) ? image : string.IsNullOrEmpty(DefaultImage) ? null : DefaultImage;
}
