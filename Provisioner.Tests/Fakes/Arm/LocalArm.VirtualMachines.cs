using System.Globalization;
using System.Text.Json.Nodes;

namespace Provisioner.Tests.Fakes.Arm;

public sealed partial class LocalArm
{
    private const string VmType = "Microsoft.Compute/virtualMachines";

    private Answer PutVm(string name, JsonObject body)
    {
        LocalArmPutValidator.Validate(name, body, SubnetRegion);
        var properties = body["properties"]!.AsObject();
        var customData = LocalArmPutValidator.String(properties["osProfile"], "customData");
        properties["osProfile"]!.AsObject().Remove("customData");
        var location = LocalArmPutValidator.String(body, "location")!;

        if (_vms.TryGetValue(name, out var existing))
        {
            if (existing.DeleteRequestedAt is not null)
            {
                throw new ArmErrorException("OperationNotAllowed", $"Operation 'PUT' is not allowed on VM '{name}' since the VM is marked for deletion. You can only retry the Delete operation (or wait for an ongoing one to complete).", 409);
            }

            Update(existing, location, body);
            existing.CustomData = customData ?? existing.CustomData;
            return new Answer(200, Render(existing, expandInstanceView: false));
        }

        var vm = Create(name, location, body, customData);
        var operation = Guid.NewGuid().ToString();
        _operations[operation] = (vm.Name, false, location);
        return new Answer(201, Render(vm, expandInstanceView: false), new Dictionary<string, string>
        {
            ["Azure-AsyncOperation"] = OperationUrl(location, operation),
            ["Retry-After"] = "1",
        });
    }

    /// <summary>A second PUT updates in place, as ARM does: size and tags change silently; what only a create sets is refused.</summary>
    private static void Update(LocalArmVm vm, string location, JsonObject body)
    {
        if (!location.Equals(vm.Location, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArmErrorException("InvalidResourceLocation", $"The resource '{vm.Name}' already exists in location '{vm.Location}' in resource group '{ResourceGroup}'. A resource with the same name cannot be created in location '{location}'. Please select a new resource name.", 409);
        }

        foreach (var (path, what) in new[] { ("storageProfile.imageReference", "imageReference"), ("priority", "priority"), ("osProfile.adminUsername", "adminUsername") })
        {
            if (!JsonNode.DeepEquals(At(vm.Body, path), At(body, path)))
            {
                throw new ArmErrorException("PropertyChangeNotAllowed", $"Changing property '{what}' is not allowed.", 409);
            }
        }

        if (!JsonNode.DeepEquals(At(vm.Body, "storageProfile.osDisk.diskSizeGB"), At(body, "storageProfile.osDisk.diskSizeGB")))
        {
            throw new ArmErrorException("OperationNotAllowed", "Disk resizing is allowed only when creating a VM or when the VM is deallocated.", 409);
        }

        vm.Body = body;
        vm.Puts++;
    }

    private LocalArmVm Create(string name, string location, JsonObject body, string? customData)
    {
        var n = Interlocked.Increment(ref _sequence);
        var nic = body["properties"]!["networkProfile"]!["networkInterfaceConfigurations"]![0]!;
        var ip = nic["properties"]!["ipConfigurations"]![0]!["properties"]!;
        var publicIp = ip["publicIPAddressConfiguration"];
        var disk = body["properties"]!["storageProfile"]!["osDisk"]!;
        var now = Clock.GetUtcNow();
        var vm = new LocalArmVm
        {
            Name = name,
            Location = location,
            VmId = Guid.NewGuid().ToString(),
            CreatedAt = now,
            Body = body,
            CustomData = customData,
            NicName = LocalArmPutValidator.String(nic, "name")!,
            NicDeleteOption = LocalArmPutValidator.String(nic["properties"], "deleteOption") ?? "Detach",
            PublicIpName = publicIp is null ? null : LocalArmPutValidator.String(publicIp, "name"),
            PublicIpDeleteOption = publicIp is null ? null : LocalArmPutValidator.String(publicIp["properties"], "deleteOption") ?? "Detach",
            OsDiskName = LocalArmPutValidator.String(disk, "name") ?? $"{name}_OsDisk_1_{Guid.NewGuid():N}",
            OsDiskDeleteOption = LocalArmPutValidator.String(disk, "deleteOption") ?? "Detach",
            PrivateIp = $"10.0.{n / 250 % 250}.{n % 250 + 4}",
            PublicIp = publicIp is null ? null : $"203.0.113.{n % 250 + 1}",
        };
        if (FailNextCreateLater is { } failure)
        {
            FailNextCreateLater = null;
            vm.Failure = failure;
            vm.FailsAt = now + BootTime;
        }

        _vms[name] = vm;
        _nics[vm.NicName] = (name, vm.PrivateIp, vm.PublicIpName);
        if (vm.PublicIpName is not null)
        {
            _publicIps[vm.PublicIpName] = vm.PublicIp;
        }

        _disks.Add(vm.OsDiskName);
        return vm;
    }

    private Answer GetVm(string name, bool expandInstanceView) => new(200, Render(Find(name), expandInstanceView));

    private Answer DeleteVm(string name)
    {
        if (!_vms.TryGetValue(name, out var vm))
        {
            // ARM answers the delete of a resource that does not exist with 204.
            return new Answer(204, null);
        }

        vm.DeleteRequestedAt ??= Clock.GetUtcNow();
        var operation = Guid.NewGuid().ToString();
        _operations[operation] = (vm.Name, true, vm.Location);
        var url = OperationUrl(vm.Location, operation);
        return new Answer(202, null, new Dictionary<string, string> { ["Azure-AsyncOperation"] = url, ["Location"] = url + "&monitor=true", ["Retry-After"] = "1" });
    }

    private LocalArmVm Find(string name) =>
        _vms.TryGetValue(name, out var vm) ? vm : throw ArmErrorException.NotFound(VmType, name, ResourceGroup);

    /// <summary>Ends the deletes whose time has come: the VM goes, and with it each dependent whose delete option says so.</summary>
    private void Sweep()
    {
        var now = Clock.GetUtcNow();
        foreach (var vm in _vms.Values.Where(v => v.DeleteRequestedAt is { } at && now - at >= ShutdownTime).ToList())
        {
            _vms.Remove(vm.Name);
            if (vm.NicDeleteOption == "Delete")
            {
                _nics.Remove(vm.NicName);
            }

            if (vm.PublicIpName is not null && vm.PublicIpDeleteOption == "Delete")
            {
                _publicIps.Remove(vm.PublicIpName);
            }

            if (vm.OsDiskDeleteOption == "Delete")
            {
                _disks.Remove(vm.OsDiskName);
            }
        }
    }

    private JsonObject Render(LocalArmVm vm, bool expandInstanceView)
    {
        var body = vm.Body.DeepClone().AsObject();
        body["id"] = VmId(vm.Name);
        body["name"] = vm.Name;
        body["type"] = VmType;
        var properties = body["properties"]!.AsObject();
        var (provisioningState, _) = vm.StateAt(Clock.GetUtcNow(), BootTime, ChecksTime);
        properties["vmId"] = vm.VmId;
        properties["provisioningState"] = provisioningState;
        properties["timeCreated"] = vm.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var disk = properties["storageProfile"]!["osDisk"]!.AsObject();
        disk["osType"] = "Linux";
        disk["name"] = vm.OsDiskName;
        disk["managedDisk"] ??= new JsonObject();
        disk["managedDisk"]!["id"] = $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.Compute/disks/{vm.OsDiskName}";
        properties["networkProfile"]!["networkInterfaces"] = new JsonArray(new JsonObject
        {
            ["id"] = NetworkId("networkInterfaces", vm.NicName),
            ["properties"] = new JsonObject { ["primary"] = true, ["deleteOption"] = vm.NicDeleteOption },
        });
        if (expandInstanceView)
        {
            properties["instanceView"] = InstanceView(vm);
        }

        return body;
    }

    private JsonObject InstanceView(LocalArmVm vm)
    {
        var (_, statuses) = vm.StateAt(Clock.GetUtcNow(), BootTime, ChecksTime);
        var list = new JsonArray();
        foreach (var (code, level, display, message) in statuses)
        {
            var status = new JsonObject { ["code"] = code, ["level"] = level, ["displayStatus"] = display };
            if (message is not null)
            {
                status["message"] = message;
            }

            if (code.StartsWith("PowerState/dealloc", StringComparison.Ordinal) && vm.StoppedOutsideAt is { } stopped)
            {
                status["time"] = stopped.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
            }

            list.Add(status);
        }

        var view = new JsonObject { ["computerName"] = vm.Name, ["osName"] = "ubuntu", ["statuses"] = list };
        if (vm.UnhealthySince is { } since && vm.DeleteRequestedAt is null && vm.StoppedOutsideAt is null)
        {
            view["vmHealth"] = new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["code"] = "HealthState/unhealthy", ["level"] = "Warning", ["displayStatus"] = "The VM is unhealthy (application health probe failing)",
                    ["time"] = since.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                },
            };
        }

        return view;
    }

    private string OperationUrl(string location, string operation) =>
        new Uri(Endpoint, $"subscriptions/{SubscriptionId}/providers/Microsoft.Compute/locations/{location}/operations/{operation}?p=local&api-version={ComputeVersions[0]}").ToString();

    private static string VmId(string name) => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/{VmType}/{name}";

    private static string NetworkId(string type, string name) =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.Network/{type}/{name}";

    private static string? SubnetRegion(string subnetId) =>
        LocalArmPutValidator.KnownLocations.FirstOrDefault(region => SubnetId(region).Equals(subnetId, StringComparison.OrdinalIgnoreCase));

    private static JsonNode? At(JsonObject body, string path) =>
        path.Split('.').Aggregate<string, JsonNode?>(body["properties"], (node, step) => node is JsonObject o ? o[step] : null);
}
