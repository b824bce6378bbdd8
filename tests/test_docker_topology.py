"""The Docker deployment, checked without a Docker engine: the compose topology, the image recipe, and
that what they call exists in the repository. The process-level integration tests run the same topology."""

import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKER = ROOT / "docker"
COMPOSE = yaml.safe_load((DOCKER / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APPS, DATABASES = ("gestion", "citas"), ("gestion-db", "citas-db")


def environment(service: str) -> dict[str, str]:
    return {key: str(value) for key, value in SERVICES[service]["environment"].items()}


def test_both_deployables_run_from_one_image_built_once():
    assert {SERVICES[name]["image"] for name in APPS} == {"odontocare:latest"}
    built = [name for name in SERVICES if "build" in SERVICES[name]]
    assert built == ["gestion"]
    assert SERVICES["gestion"]["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}
    assert environment("gestion")["DJANGO_SETTINGS_MODULE"] == "odontocare.settings.gestion"
    assert environment("citas")["DJANGO_SETTINGS_MODULE"] == "odontocare.settings.citas"


def test_each_deployable_has_its_own_database_and_volume():
    assert environment("gestion")["DATABASE_URL"].startswith("postgres://gestion:")
    assert "@gestion-db:" in environment("gestion")["DATABASE_URL"]
    assert "@citas-db:" in environment("citas")["DATABASE_URL"]
    mounted_by: dict[str, set[str]] = {}
    for name, service in SERVICES.items():
        for volume in service.get("volumes", []):
            mounted_by.setdefault(volume.split(":")[0], set()).add(name)
    # Each database's volume is its own; the one volume shared is citas' queue, between citas and its worker.
    assert {volume: users for volume, users in mounted_by.items() if not volume.startswith(".")} == {
        "gestion-db": {"gestion-db"},
        "citas-db": {"citas-db"},
        "citas-cola": {"citas", "worker"},
    }


def test_the_worker_is_citas_on_citas_database_and_nothing_of_gestions():
    worker, citas = environment("worker"), environment("citas")
    assert SERVICES["worker"]["image"] == "odontocare:latest"
    assert SERVICES["worker"]["command"] == ["python", "manage.py", "run_huey"]
    assert {k: worker[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "GESTION_URL")} == {
        k: citas[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "GESTION_URL")
    }
    assert not any("GESTION_DB" in value or "gestion-db" in value for value in worker.values())
    assert SERVICES["worker"]["secrets"] == ["jwt_public_key"]
    assert SERVICES["worker"]["networks"] == SERVICES["citas"]["networks"]


def test_citas_has_no_gestion_database_credentials_and_no_private_key():
    citas = environment("citas")
    assert not any("GESTION_DB" in value or "gestion-db" in value for value in citas.values())
    assert "JWT_PRIVATE_KEY_PATH" not in citas
    assert SERVICES["citas"]["secrets"] == ["jwt_public_key"]
    assert citas["GESTION_URL"] == "http://gestion:8000"


def test_only_gestion_holds_the_private_key():
    holders = [name for name, service in SERVICES.items() if "jwt_private_key" in service.get("secrets", [])]
    assert holders == ["gestion"]
    assert environment("gestion")["JWT_PRIVATE_KEY_PATH"] == "/run/secrets/jwt_private_key"


@pytest.mark.parametrize("service", list(SERVICES))
def test_every_service_has_a_healthcheck(service):
    assert SERVICES[service]["healthcheck"]["test"]


def test_services_wait_for_what_they_need_to_be_healthy():
    conditions = {
        (name, dependency): condition["condition"]
        for name, service in SERVICES.items()
        for dependency, condition in service.get("depends_on", {}).items()
    }
    assert conditions == {
        ("gestion", "gestion-db"): "service_healthy",
        ("citas", "citas-db"): "service_healthy",
        ("citas", "gestion"): "service_healthy",
        ("worker", "citas"): "service_healthy",
        ("proxy", "gestion"): "service_healthy",
        ("proxy", "citas"): "service_healthy",
    }


def test_every_required_variable_is_in_the_example_env_file():
    required = set(re.findall(r"\$\{(\w+):\?", (DOCKER / "compose.yaml").read_text()))
    example = dict(
        line.split("=", 1) for line in (DOCKER / ".env.example").read_text().splitlines() if "=" in line
    )
    assert required and required <= set(example)
    assert (ROOT / ".gitignore").read_text().count("docker/.env") == 1


def networks(service: str) -> set[str]:
    return set(SERVICES[service]["networks"])


def test_every_service_names_its_networks_and_every_network_is_declared():
    for name, service in SERVICES.items():
        assert service.get("networks"), f"{name} would join the default network"
        assert networks(name) <= set(COMPOSE["networks"]), name


@pytest.mark.parametrize(
    ("service", "database"),
    [("citas", "gestion-db"), ("gestion", "citas-db"), ("proxy", "gestion-db"), ("proxy", "citas-db")],
)
def test_a_database_shares_no_network_with_another_deployable_or_the_proxy(service, database):
    assert not networks(service) & networks(database)


def test_each_deployable_reaches_its_own_database_and_the_proxy_reaches_both_deployables():
    assert networks("gestion") & networks("gestion-db")
    assert networks("citas") & networks("citas-db")
    assert networks("citas-db").isdisjoint(networks("gestion-db"))
    assert networks("proxy") & networks("gestion") and networks("proxy") & networks("citas")
    assert networks("citas") & networks("gestion"), "citas asks gestion over REST"


def test_the_database_networks_are_internal_and_the_published_proxy_is_not_on_them():
    database_networks = networks("gestion-db") | networks("citas-db")
    assert all((COMPOSE["networks"][name] or {}).get("internal") is True for name in database_networks)
    assert all(not (COMPOSE["networks"][net] or {}).get("internal") for net in networks("proxy"))


def test_only_the_proxy_is_published():
    assert [name for name, service in SERVICES.items() if "ports" in service] == ["proxy"]


NGINX = (DOCKER / "nginx.conf.template").read_text()


def nginx_routes() -> dict[str, str]:
    return dict(re.findall(r"location\s+(?:~\s+|=\s+)?(\S+)\s*\{[^}]*?proxy_pass http://\$(\w+)", NGINX))


@pytest.mark.parametrize(
    ("path", "upstream"),
    [
        ("/auth/login", "gestion"),
        ("/admin/centros", "gestion"),
        ("/staff/", "gestion"),
        ("/citas", "citas"),
        ("/citas/7", "citas"),
    ],
)
def test_the_proxy_routes_each_prefix_to_its_deployable(path, upstream):
    matches = [
        target
        for pattern, target in nginx_routes().items()
        if pattern.startswith("^") and re.match(pattern, path)
    ]
    assert matches == [upstream]


def test_the_proxy_finds_each_deployable_again_after_a_restart():
    # Every upstream is a variable naming the service, so that nginx resolves it at request time through
    # the container network's DNS server, which the image's entrypoint writes into the template.
    targets = re.findall(r"proxy_pass\s+(\S+);", NGINX)
    assert targets and all(re.fullmatch(r"http://\$(gestion|citas)(/\S*)?", target) for target in targets)
    upstreams = set(re.findall(r"set \$(\w+) (\S+);", NGINX))
    assert upstreams == {("gestion", "gestion:8000"), ("citas", "citas:8000")}
    assert "upstream " not in NGINX
    assert re.search(r"^resolver \$\{NGINX_RESOLVER\} valid=\d+s", NGINX, flags=re.MULTILINE)
    proxy = SERVICES["proxy"]
    assert proxy["volumes"] == [
        "./nginx.conf.template:/etc/nginx/templates/default.conf.template:ro",
        "./nginx-resolver.envsh:/docker-entrypoint.d/15-odontocare-resolver.envsh:ro",
    ]
    assert proxy["environment"] == {"NGINX_ENVSUBST_FILTER": "^NGINX_"}
    # The entrypoint sources only executable scripts.
    assert (DOCKER / "nginx-resolver.envsh").stat().st_mode & 0o111


def test_the_resolver_is_the_first_nameserver_alone(tmp_path):
    resolv = tmp_path / "resolv"
    script = (DOCKER / "nginx-resolver.envsh").read_text().replace("/etc/resolv.conf", str(resolv))
    for lines, expected in (
        ("search dns.podman\nnameserver 10.89.0.1\nnameserver 10.255.255.53\n", "10.89.0.1"),
        ("nameserver 127.0.0.11\noptions ndots:0\n", "127.0.0.11"),
        ("nameserver fd00::1\nnameserver 10.0.0.1\n", "[fd00::1]"),
    ):
        resolv.write_text(lines)
        done = subprocess.run(
            ["sh", "-c", f'{script}\nprintf %s "$NGINX_RESOLVER"'], capture_output=True, text=True, check=True
        )
        assert done.stdout == expected


DOCKERFILE = (DOCKER / "Dockerfile").read_text()


def test_image_runs_as_a_non_root_user_with_a_healthcheck():
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK .*?/health", DOCKERFILE, flags=re.MULTILINE | re.DOTALL)


def test_dependencies_are_installed_before_the_code_is_copied():
    assert (
        DOCKERFILE.index("COPY requirements.txt")
        < DOCKERFILE.index("pip install")
        < DOCKERFILE.index("COPY . .")
    )


def test_the_files_the_image_uses_exist():
    for path in ("requirements.txt", "gunicorn.conf.py", "docker/entrypoint.sh", "manage.py"):
        assert (ROOT / path).exists(), path
    assert 'CMD ["gunicorn", "odontocare.wsgi", "-c", "gunicorn.conf.py"]' in DOCKERFILE


def test_the_entrypoint_calls_commands_that_exist():
    commands = set(re.findall(r"manage\.py (\w+)", (DOCKER / "entrypoint.sh").read_text()))
    ours = {path.stem for path in (ROOT / "apps").glob("*/management/commands/*.py")}
    assert commands == {"migrate", "createcachetable", "ensure_admin", "ensure_service_account"}
    assert {"ensure_admin", "ensure_service_account"} <= ours


@pytest.mark.parametrize("kept_out", ["docker/.env", "docker/secrets", ".venv", "var", ".git"])
def test_secrets_and_local_state_stay_out_of_the_image(kept_out):
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert kept_out in ignored


def test_the_example_env_file_holds_no_usable_secret():
    example = dict(
        line.split("=", 1) for line in (DOCKER / ".env.example").read_text().splitlines() if "=" in line
    )
    secrets = [name for name in example if name.endswith(("PASSWORD", "SECRET_KEY"))]
    assert secrets and all(example[name] == "" for name in secrets)


def test_the_key_pair_defaults_to_the_ignored_secrets_folder():
    files = [secret["file"] for secret in COMPOSE["secrets"].values()]
    assert files == [
        "${ODONTOCARE_SECRETS_DIR:-./secrets}/jwt_private.pem",
        "${ODONTOCARE_SECRETS_DIR:-./secrets}/jwt_public.pem",
    ]
    assert "docker/secrets/" in (ROOT / ".gitignore").read_text().splitlines()


def base_images() -> set[str]:
    named = {service["image"] for service in SERVICES.values() if "build" not in service}
    built = {SERVICES[name]["image"] for name in SERVICES if "build" in SERVICES[name]}
    return (named - built) | set(re.findall(r"^FROM\s+(\S+)", DOCKERFILE, flags=re.MULTILINE))


def test_every_base_image_has_a_stand_in_for_machines_without_a_registry():
    assert base_images() == {"python:3.11-slim", "postgres:15-alpine", "nginx:1.27-alpine"}
    for image in base_images():
        recipe = DOCKER / "standins" / f"{image.split(':')[0]}.Containerfile"
        assert re.search(r"^# packages: \S+", recipe.read_text(), flags=re.MULTILINE), recipe
    assert (ROOT / "scripts" / "containers").stat().st_mode & 0o111
