"""Sends messages over SMTP, one session each, and prints one line per message: the final reply and the time.

    smtp_send.py PORT SENDER RECIPIENT FILE...

Each line is "CODE TEXT|MILLISECONDS": CODE is the reply that ended the transaction (250 after DATA, or the
refusal of MAIL, RCPT or DATA), TEXT its text with the enhanced status code, MILLISECONDS from connect to QUIT.
"""
import smtplib, sys, time

port, sender, rcpt, files = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
for name in files:
    data = open(name, 'rb').read()
    start = time.monotonic()
    s = smtplib.SMTP('127.0.0.1', port, local_hostname='client.example.org', timeout=120)
    try:
        s.ehlo()
        code, text = s.mail(sender)
        if code == 250:
            code, text = s.rcpt(rcpt)
        if code in (250, 251):
            code, text = s.data(data)
        else:
            s.rset()
    except smtplib.SMTPResponseException as e:   # a refusal of DATA's content
        code, text = e.smtp_code, e.smtp_error
    try:
        s.quit()
    except smtplib.SMTPException:
        pass
    ms = (time.monotonic() - start) * 1000
    print('%d %s|%.1f' % (code, text.decode('utf-8', 'replace').replace('\n', ' / '), ms), flush=True)
