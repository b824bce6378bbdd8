"""The front desk in a real browser: Debian's Chromium, headless, on citas' staff site served by gunicorn."""

import shutil
import tempfile
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.integration.registry import PASSWORD, registrar

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "build" / "test-artifacts"
MADRID = ZoneInfo("Europe/Madrid")
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture
def browser():
    profile = tempfile.mkdtemp(prefix="chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1600,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def click_and_wait(browser, element) -> None:
    """Click what loads a new page, and wait until the browser has left the old one."""
    page = browser.find_element(By.TAG_NAME, "html")
    element.click()

    def left(_browser) -> bool:
        try:
            page.is_enabled()  # any question to the old page's node
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            # What chromedriver answers instead when the node went with a page that was replaced meanwhile.
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    WebDriverWait(browser, 15).until(left)


def sign_in(browser, citas_url: str, username: str, password: str) -> None:
    browser.get(f"{citas_url}/staff/login/?next=/staff/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "input[type=submit]"))


def the_day() -> date:
    """Today, unless too little of it is left for free slots after the booked cita."""
    now = datetime.now(MADRID)
    return now.date() if now.hour < 20 else now.date() + timedelta(days=1)


def test_a_secretaria_books_and_cancels_from_todays_agenda_and_a_patient_cannot_sign_in(
    deployables, admin_headers, browser
):
    gestion, citas = deployables.gestion_url, deployables.citas_url
    made = registrar(gestion, admin_headers)
    tag = uuid.uuid4().hex[:6]
    secretaria = {"username": f"sec.{tag}", "password": f"Clave-{tag}-2026", "rol": "secretaria"}
    requests.post(
        f"{gestion}/admin/usuario", json=secretaria, headers=admin_headers, timeout=30
    ).raise_for_status()
    nombre = requests.get(
        f"{gestion}/admin/pacientes/{made.id_paciente}", headers=admin_headers, timeout=30
    ).json()["nombre"]
    day = the_day()
    first = datetime.combine(day, datetime.min.time(), tzinfo=MADRID) + timedelta(hours=22)
    booked = requests.post(
        f"{citas}/citas",
        json={
            "fecha": first.isoformat(),
            "id_doctor": made.id_doctor,
            "id_centro": made.id_centro,
            "id_paciente": made.id_paciente,
        },
        headers=admin_headers,
        timeout=30,
    )
    assert booked.status_code == 201, booked.text

    sign_in(browser, citas, secretaria["username"], secretaria["password"])
    WebDriverWait(browser, 10).until(expected_conditions.url_to_be(f"{citas}/staff/"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Agenda"))
    Select(browser.find_element(By.NAME, "id_centro")).select_by_value(str(made.id_centro))
    fecha = browser.find_element(By.NAME, "fecha")
    browser.execute_script("arguments[0].value = arguments[1]", fecha, day.isoformat())
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#agenda-dia input[type=submit]"))

    column = browser.find_element(By.CSS_SELECTOR, f'section.doctor[data-id-doctor="{made.id_doctor}"]')
    cita = column.find_element(By.CSS_SELECTOR, f'li.cita[data-id-cita="{booked.json()["id_cita"]}"]')
    assert nombre in cita.text and "22:00" in cita.text
    free = column.find_elements(By.CSS_SELECTOR, "li.hueco a")
    assert free, "no free slot shown"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / f"agenda-{deployables.backend}.png"))

    # Book the first free slot for the patient, found by name.
    slot_label = free[0].text.split(" ")[0]
    click_and_wait(browser, free[0])
    browser.find_element(By.NAME, "buscar").send_keys(nombre)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#buscar-paciente input[type=submit]"))
    browser.find_element(By.CSS_SELECTOR, f'input[name="id_paciente"][value="{made.id_paciente}"]').click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#reservar input[type=submit]"))
    assert nombre in browser.find_element(By.CSS_SELECTOR, ".messagelist .success").text
    column = browser.find_element(By.CSS_SELECTOR, f'section.doctor[data-id-doctor="{made.id_doctor}"]')
    assert [
        li.text
        for li in column.find_elements(By.CSS_SELECTOR, "li.cita")
        if slot_label in li.text and nombre in li.text
    ]

    # Cancel the cita booked before, with a reason.
    cita = column.find_element(By.CSS_SELECTOR, f'li.cita[data-id-cita="{booked.json()["id_cita"]}"]')
    cita.find_element(By.NAME, "motivo").send_keys("Avisa por teléfono")
    click_and_wait(browser, cita.find_element(By.CSS_SELECTOR, "form.cancelar button"))
    assert (
        str(booked.json()["id_cita"]) in browser.find_element(By.CSS_SELECTOR, ".messagelist .success").text
    )
    stored = requests.get(
        f"{citas}/citas/{booked.json()['id_cita']}", headers=admin_headers, timeout=30
    ).json()
    assert (stored["estado"], stored["motivo_cancelacion"]) == ("CANCELADA", "Avisa por teléfono")
    listed = requests.get(
        f"{citas}/citas?id_paciente={made.id_paciente}&estado=PROGRAMADA", headers=admin_headers, timeout=30
    )
    assert listed.json()["count"] == 1

    # The messages to the patient: the booking's and the cancellation's; a dead letter is sent again.
    id_cita = booked.json()["id_cita"]
    deployables.citas_execute(
        "UPDATE notifications_notificacion SET estado = 'FALLIDA', intentos = 10 WHERE id_cita = %s "
        "AND tipo = 'RESERVA'",
        id_cita,
    )
    browser.get(f"{citas}/staff/notifications/notificacion/?dead_letter=1&q={quote(nombre)}")
    (row,) = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert "Reserva" in row.text and "Fallida" in row.text
    row.find_element(By.CSS_SELECTOR, "input.action-select").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("reintentar")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[name=index]"))
    assert "1" in browser.find_element(By.CSS_SELECTOR, ".messagelist .success").text
    mensajes = requests.get(f"{citas}/citas/{id_cita}/notificaciones", headers=admin_headers, timeout=30)
    assert [(m["tipo"], m["estado"]) for m in mensajes.json()["results"]] == [
        ("RESERVA", "PENDIENTE"),
        ("CANCELACION", "PENDIENTE"),
    ]

    # citas holds neither the secretaria's password nor any hash of one.
    values = deployables.citas_values()
    assert secretaria["username"] in values
    assert not [
        v for v in values if secretaria["password"] in v or v.startswith(("argon2", "pbkdf2_", "md5$"))
    ]

    # A patient's gestion password does not open the staff site.
    browser.delete_all_cookies()
    sign_in(browser, citas, made.paciente_username, PASSWORD)
    assert browser.find_element(By.CSS_SELECTOR, ".errornote")
    browser.get(f"{citas}/staff/")
    assert "/staff/login/" in browser.current_url
