from apps.accounts.models import User


def user_profile_ids(user: User) -> dict[str, int | None]:
    """The ids of the patient and doctor records linked to this user, if any.

    The profiles live in the clinic app and point at the user; reading them through the
    reverse one-to-one accessors keeps this app free of imports from the clinic app.
    """
    paciente = getattr(user, "paciente", None)
    doctor = getattr(user, "doctor", None)
    return {
        "id_paciente": paciente.pk if paciente is not None else None,
        "id_doctor": doctor.pk if doctor is not None else None,
    }
