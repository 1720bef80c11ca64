from cryptography import x509


def load_certificate(data):
    """A PEM or DER certificate; ValueError when it is neither."""
    return (
        x509.load_pem_x509_certificate(data)
        if b"-----BEGIN" in data
        else x509.load_der_x509_certificate(data)
    )
