using Azure.Core;
using Azure.ResourceManager.Compute.Models;

namespace Provisioner.Core.Providers.Azure;

/// <summary>An image setting as ARM's <c>imageReference</c>: a marketplace URN or an image resource id.</summary>
internal static class AzureImages
{
    public static ImageReference Parse(string image)
    {
        if (image.StartsWith('/'))
        {
            return new ImageReference { Id = new ResourceIdentifier(image) };
        }

        var parts = image.Split(':');
        return parts.Length == 4 && parts.All(p => p.Length > 0)
            ? new ImageReference { Publisher = parts[0], Offer = parts[1], Sku = parts[2], Version = parts[3] }
            : throw new CloudProviderException(CloudErrorKind.InvalidRequest, AzureErrorClassifier.Backend, "InvalidImageSetting",
                $"'{image}' is neither an image URN (publisher:offer:sku:version) nor an image resource id.");
    }
}
